package dev.azinfer.provider.azureopenai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.config.DeploymentConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.ChatRequest;
import dev.azinfer.provider.openai.OpenAiBodies;
import dev.azinfer.provider.openai.OpenAiWireClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An Azure OpenAI deployment: {@code /openai/deployments/{name}/chat/completions?api-version=} with {@code api-key}. */
public final class AzureOpenAiProvider implements ChatProvider {

    public static final String DEFAULT_API_VERSION = "2024-10-21";

    private final OpenAiWireClient client;
    private final ObjectMapper mapper;
    private final OpenAiWireClient.Target target;

    public AzureOpenAiProvider(Vertx vertx, ObjectMapper mapper, String name, DeploymentConfig config) {
        this.mapper = mapper;
        this.client = new OpenAiWireClient(vertx, mapper, name, config);
        String base = config.url().orElseThrow().toString().replaceAll("/+$", "");
        String upstreamDeployment = URLEncoder.encode(config.upstreamModel().orElse(name), StandardCharsets.UTF_8);
        String apiVersion = config.upstreamApiVersion().orElse(DEFAULT_API_VERSION);
        this.target = new OpenAiWireClient.Target(
                base + "/openai/deployments/" + upstreamDeployment + "/chat/completions?api-version=" + apiVersion,
                Map.of("api-key", config.apiKey().orElseThrow()));
    }

    @Override
    public Uni<ChatCompletions> complete(ChatRequest request) {
        return client.complete(target, OpenAiBodies.build(mapper, request, null, true));
    }

    @Override
    public Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request) {
        return client.stream(target, OpenAiBodies.build(mapper, request, null, true));
    }

    @Override
    public void close() {
        client.close();
    }
}
