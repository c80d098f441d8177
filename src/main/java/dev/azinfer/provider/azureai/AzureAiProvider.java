package dev.azinfer.provider.azureai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.api.ExtraParameters;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.ChatRequest;
import dev.azinfer.provider.openai.OpenAiBodies;
import dev.azinfer.provider.openai.OpenAiWireClient;
import dev.azinfer.provider.openai.OpenAiWireProvider;
import io.vertx.mutiny.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * An Azure AI model inference endpoint. It speaks this same API, so the {@code extra-parameters}
 * policy is forwarded and the model is named in the body. {@code stream_options} is not part of
 * that contract and is not sent; usage of its streams is counted here when it reports none.
 */
public final class AzureAiProvider extends OpenAiWireProvider {

    public static final String DEFAULT_API_VERSION = "2024-05-01-preview";

    private final String url;
    private final String apiKey;
    private final String model;

    public AzureAiProvider(Vertx vertx, ObjectMapper mapper, String name, ProviderConfig config) {
        super(vertx, mapper, name, config);
        this.url = base(config) + "/chat/completions?api-version="
                + config.upstreamApiVersion().orElse(DEFAULT_API_VERSION);
        this.apiKey = config.apiKey().orElseThrow();
        this.model = config.upstreamModel().orElse(name);
    }

    @Override
    protected OpenAiWireClient.Target target(ChatRequest request) {
        Map<String, String> headers = new HashMap<>();
        headers.put("api-key", apiKey);
        if (request.mode() == ExtraParameters.PASS_THROUGH) {
            headers.put(ExtraParameters.HEADER, ExtraParameters.PASS_THROUGH.wire());
        }
        return new OpenAiWireClient.Target(url, headers);
    }

    @Override
    protected ObjectNode body(ChatRequest request) {
        return OpenAiBodies.build(mapper, request, model, false);
    }
}
