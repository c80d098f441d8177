package dev.azinfer.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.model.ModelInfo;
import dev.azinfer.config.DeploymentConfig;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.azureai.AzureAiProvider;
import dev.azinfer.provider.azureopenai.AzureOpenAiProvider;
import dev.azinfer.provider.local.LocalLlamaProvider;
import dev.azinfer.provider.openai.OpenAiProvider;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The configured deployments, found by name case-insensitively (punctuation and spaces are kept as they are). */
@Startup
@ApplicationScoped
public class DeploymentRegistry {

    private final Map<String, Deployment> byName = new LinkedHashMap<>();
    private final Optional<Deployment> fallback;

    public DeploymentRegistry(ServiceConfig config, Vertx vertx, ObjectMapper mapper) {
        for (Map.Entry<String, DeploymentConfig> e : config.deployments().entrySet()) {
            String name = e.getKey();
            String key = name.toLowerCase(Locale.ROOT);
            if (byName.containsKey(key)) {
                throw new IllegalStateException("azinfer.deployments: the names '" + name + "' and '"
                        + byName.get(key).name()
                        + "' differ only in case; deployment names are matched case-insensitively");
            }
            byName.put(key, create(name, e.getValue(), config, vertx, mapper));
        }
        if (config.defaultDeployment().isPresent()) {
            String wanted = config.defaultDeployment().get();
            Deployment d = byName.get(wanted.toLowerCase(Locale.ROOT));
            if (d == null) {
                throw new IllegalStateException(
                        "azinfer.default-deployment names '" + wanted + "', which is not in azinfer.deployments");
            }
            fallback = Optional.of(d);
        } else {
            fallback =
                    byName.size() == 1 ? Optional.of(byName.values().iterator().next()) : Optional.empty();
        }
    }

    private static Deployment create(
            String name, DeploymentConfig c, ServiceConfig config, Vertx vertx, ObjectMapper mapper) {
        String prefix = "azinfer.deployments.\"" + name + "\".";
        if (c.provider() != DeploymentConfig.ProviderKind.LOCAL && c.url().isEmpty()) {
            throw new IllegalStateException(prefix + "url is required for the provider " + c.provider());
        }
        if ((c.provider() == DeploymentConfig.ProviderKind.AZURE_OPENAI
                        || c.provider() == DeploymentConfig.ProviderKind.AZURE_AI)
                && c.apiKey().isEmpty()) {
            throw new IllegalStateException(prefix + "api-key is required for the provider " + c.provider());
        }
        ChatProvider provider =
                switch (c.provider()) {
                    case OPENAI -> new OpenAiProvider(vertx, mapper, name, c);
                    case AZURE_OPENAI -> new AzureOpenAiProvider(vertx, mapper, name, c);
                    case AZURE_AI -> new AzureAiProvider(vertx, mapper, name, c);
                    case LOCAL -> new LocalLlamaProvider(name, c, config.dataDir());
                };
        String modelName = c.modelName()
                .or(() -> c.provider() == DeploymentConfig.ProviderKind.LOCAL
                        ? Optional.of(c.local()
                                .modelPath()
                                .map(p -> p.getFileName().toString())
                                .orElse(c.local().fileName())
                                .replaceFirst("\\.gguf$", ""))
                        : c.upstreamModel())
                .orElse(name);
        String providerName = c.modelProviderName()
                .orElse(
                        switch (c.provider()) {
                            case OPENAI -> "OpenAI";
                            case AZURE_OPENAI -> "Azure OpenAI";
                            case AZURE_AI -> "Azure AI";
                            case LOCAL -> "llama.cpp";
                        });
        Set<String> unsupported = new HashSet<>(provider.unsupportedParameters());
        c.unsupportedParameters().ifPresent(unsupported::addAll);
        return new Deployment(
                name, new ModelInfo(modelName, c.modelType(), providerName), provider, Set.copyOf(unsupported));
    }

    /**
     * The deployment a request names: by body {@code model} or header, else the default.
     *
     * @throws ApiException 404 {@code unknown_model}, or 400 {@code no_model_name} when none is named and there is no default
     */
    public Deployment resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            return fallback.orElseThrow(() -> ApiException.badRequest(
                    "no_model_name",
                    "No model specified: this endpoint serves several deployments. Name one in the body field 'model' or the header 'azureml-model-deployment'.",
                    "model"));
        }
        Deployment d = byName.get(requested.toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new ApiException(
                    404,
                    "unknown_model",
                    "Unknown model: " + requested + ". The deployment does not exist.",
                    "model",
                    null);
        }
        return d;
    }

    public Collection<Deployment> all() {
        return byName.values();
    }

    @PreDestroy
    void close() {
        byName.values().forEach(d -> d.provider().close());
    }
}
