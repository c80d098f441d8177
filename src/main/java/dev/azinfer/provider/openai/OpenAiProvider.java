package dev.azinfer.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.ChatRequest;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;

/** Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp server, LM Studio. */
public final class OpenAiProvider extends OpenAiWireProvider {

    private final OpenAiWireClient.Target target;
    private final String model;

    public OpenAiProvider(Vertx vertx, ObjectMapper mapper, String name, ProviderConfig config) {
        super(vertx, mapper, name, config);
        this.model = config.upstreamModel().orElse(name);
        this.target = new OpenAiWireClient.Target(
                base(config) + "/chat/completions",
                config.apiKey()
                        .map(key -> Map.of("Authorization", "Bearer " + key))
                        .orElse(Map.of()));
    }

    @Override
    protected OpenAiWireClient.Target target(ChatRequest request) {
        return target;
    }

    @Override
    protected ObjectNode body(ChatRequest request) {
        return OpenAiBodies.build(mapper, request, model, true);
    }
}
