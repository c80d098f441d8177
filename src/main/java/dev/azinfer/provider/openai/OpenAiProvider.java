package dev.azinfer.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.config.DeploymentConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;

/** Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp server, LM Studio. */
public final class OpenAiProvider implements ChatProvider {

    private final OpenAiWireClient client;
    private final ObjectMapper mapper;
    private final OpenAiWireClient.Target target;
    private final String model;

    public OpenAiProvider(Vertx vertx, ObjectMapper mapper, String name, DeploymentConfig config) {
        this.mapper = mapper;
        this.client = new OpenAiWireClient(vertx, mapper, name, config);
        this.model = config.upstreamModel().orElse(name);
        String base = config.url().orElseThrow().toString().replaceAll("/+$", "");
        this.target = new OpenAiWireClient.Target(
                base + "/chat/completions",
                config.apiKey()
                        .map(key -> Map.of("Authorization", "Bearer " + key))
                        .orElse(Map.of()));
    }

    @Override
    public Uni<ChatCompletions> complete(ChatRequest request) {
        return client.complete(target, OpenAiBodies.build(mapper, request, model, true));
    }

    @Override
    public Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request) {
        return client.stream(target, OpenAiBodies.build(mapper, request, model, true));
    }

    @Override
    public void close() {
        client.close();
    }
}
