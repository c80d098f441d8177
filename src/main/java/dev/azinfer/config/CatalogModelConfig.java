package dev.azinfer.config;

import io.smallrye.config.WithDefault;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A model of the catalog ({@code azinfer.catalog."<model name>"}): its versions and their lifecycle. */
public interface CatalogModelConfig {

    /** The model's format, as Azure names it: the publisher's family, e.g. OpenAI, Microsoft, Meta. */
    String format();

    /** The version deployments get when they name none; OnceNewDefaultVersionAvailable moves to it. */
    String defaultVersion();

    /** What the model does, e.g. chat_completion. */
    @WithDefault("chat_completion")
    List<String> capabilities();

    /** The versions, by version string. */
    Map<String, Version> versions();

    /** A version: its lifecycle dates, and the provider settings that serve it (the same keys as a deployment). */
    interface Version extends ProviderConfig {

        /** The day the version retires: auto-upgrading deployments move off it, NoAutoUpgrade ones stop serving. */
        Optional<LocalDate> retirementDate();

        /** The day the version became the default (the two-week clock of OnceNewDefaultVersionAvailable starts there). */
        Optional<LocalDate> defaultSince();
    }
}
