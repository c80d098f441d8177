package dev.azinfer.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * An upstream that speaks the OpenAI chat completions wire format (see adr/0003). A kind decides
 * only where a request goes, with which headers, and what its body holds.
 */
public abstract class OpenAiWireProvider implements ChatProvider {

    private static final String MAX_TOKENS = "max_tokens";
    private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

    protected final ObjectMapper mapper;
    private final OpenAiWireClient client;
    private final String maxTokensField;

    protected OpenAiWireProvider(Vertx vertx, ObjectMapper mapper, String name, ProviderConfig config) {
        this.mapper = mapper;
        this.maxTokensField = config.maxTokensField();
        if (!maxTokensField.equals(MAX_TOKENS) && !maxTokensField.equals(MAX_COMPLETION_TOKENS)) {
            throw new IllegalArgumentException("Deployment '" + name + "': max-tokens-field is '" + maxTokensField
                    + "'; it must be " + MAX_TOKENS + " or " + MAX_COMPLETION_TOKENS);
        }
        this.client = new OpenAiWireClient(vertx, mapper, name, config);
    }

    /** The URL and headers (credential, options) of a request. */
    protected abstract OpenAiWireClient.Target target(ChatRequest request);

    /** The body of a request. */
    protected abstract ObjectNode body(ChatRequest request);

    /** The configured URL without trailing slashes. */
    protected static String base(ProviderConfig config) {
        return config.url().orElseThrow().toString().replaceAll("/+$", "");
    }

    @Override
    public final Uni<ChatCompletions> complete(ChatRequest request) {
        return client.complete(target(request), upstreamBody(request));
    }

    @Override
    public final Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request) {
        return client.stream(target(request), upstreamBody(request));
    }

    private ObjectNode upstreamBody(ChatRequest request) {
        ObjectNode body = body(request);
        if (maxTokensField.equals(MAX_COMPLETION_TOKENS) && body.has(MAX_TOKENS)) {
            body.set(MAX_COMPLETION_TOKENS, body.remove(MAX_TOKENS));
        }
        return body;
    }

    @Override
    public final void close() {
        client.close();
    }
}
