package dev.azinfer.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.model.ModelInfo;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ProviderConfig.ProviderKind;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.azureai.AzureAiProvider;
import dev.azinfer.provider.azureopenai.AzureOpenAiProvider;
import dev.azinfer.provider.local.LocalLlamaProvider;
import dev.azinfer.provider.openai.OpenAiProvider;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Makes the provider of a deployment from provider settings (a configured deployment's, or a catalog version's). */
@ApplicationScoped
public class ProviderFactory {

    private final ServiceConfig config;
    private final Vertx vertx;
    private final ObjectMapper mapper;

    public ProviderFactory(ServiceConfig config, Vertx vertx, ObjectMapper mapper) {
        this.config = config;
        this.vertx = vertx;
        this.mapper = mapper;
    }

    /** The provider's display name, as {@code /info} reports it unless the settings name one. */
    public static String providerName(ProviderConfig c) {
        return c.modelProviderName()
                .orElse(
                        switch (c.provider()) {
                            case OPENAI -> "OpenAI";
                            case AZURE_OPENAI -> "Azure OpenAI";
                            case AZURE_AI -> "Azure AI";
                            case LOCAL -> "llama.cpp";
                        });
    }

    /** The model name {@code /info} reports: the configured one, else the catalog's, the file's or the upstream's. */
    public static String modelName(String deployment, ProviderConfig c, Optional<String> catalogName) {
        return c.modelName()
                .or(() -> catalogName)
                .or(() -> c.provider() == ProviderKind.LOCAL
                        ? Optional.of(c.local()
                                .modelPath()
                                .map(p -> p.getFileName().toString())
                                .orElse(c.local().fileName())
                                .replaceFirst("\\.gguf$", ""))
                        : c.upstreamModel())
                .orElse(deployment);
    }

    /** A new provider for the deployment {@code name}; the caller closes it. */
    public Deployment build(String name, ProviderConfig c, Optional<String> catalogName) {
        ChatProvider provider =
                switch (c.provider()) {
                    case OPENAI -> new OpenAiProvider(vertx, mapper, name, c);
                    case AZURE_OPENAI -> new AzureOpenAiProvider(vertx, mapper, name, c);
                    case AZURE_AI -> new AzureAiProvider(vertx, mapper, name, c);
                    case LOCAL -> new LocalLlamaProvider(name, c, config.dataDir());
                };
        Set<String> unsupported = new HashSet<>(provider.unsupportedParameters());
        c.unsupportedParameters().ifPresent(unsupported::addAll);
        return new Deployment(
                name,
                new ModelInfo(modelName(name, c, catalogName), c.modelType(), providerName(c)),
                provider,
                Set.copyOf(unsupported));
    }
}
