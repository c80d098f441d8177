package dev.azinfer.routing;

import dev.azinfer.api.model.ModelInfo;
import dev.azinfer.provider.ChatProvider;
import java.util.Set;

/** A deployment as requests see it: its name, what {@code /info} says of it, its provider and its limits. */
public record Deployment(String name, ModelInfo info, ChatProvider provider, Set<String> unsupportedParameters) {}
