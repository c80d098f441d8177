package dev.azinfer.provider.azureopenai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.ChatRequest;
import dev.azinfer.provider.openai.OpenAiBodies;
import dev.azinfer.provider.openai.OpenAiWireClient;
import dev.azinfer.provider.openai.OpenAiWireProvider;
import io.vertx.mutiny.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An Azure OpenAI deployment: {@code /openai/deployments/{name}/chat/completions?api-version=} with {@code api-key}. */
public final class AzureOpenAiProvider extends OpenAiWireProvider {

    public static final String DEFAULT_API_VERSION = "2024-10-21";

    private final OpenAiWireClient.Target target;

    public AzureOpenAiProvider(Vertx vertx, ObjectMapper mapper, String name, ProviderConfig config) {
        super(vertx, mapper, name, config);
        String upstreamDeployment = URLEncoder.encode(config.upstreamModel().orElse(name), StandardCharsets.UTF_8);
        String apiVersion = config.upstreamApiVersion().orElse(DEFAULT_API_VERSION);
        this.target = new OpenAiWireClient.Target(
                base(config) + "/openai/deployments/" + upstreamDeployment + "/chat/completions?api-version="
                        + apiVersion,
                Map.of("api-key", config.apiKey().orElseThrow()));
    }

    @Override
    protected OpenAiWireClient.Target target(ChatRequest request) {
        return target;
    }

    @Override
    protected ObjectNode body(ChatRequest request) {
        // the model is the deployment in the URL
        return OpenAiBodies.build(mapper, request, null, true);
    }
}
