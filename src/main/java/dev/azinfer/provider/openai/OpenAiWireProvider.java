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

    protected final ObjectMapper mapper;
    private final OpenAiWireClient client;

    protected OpenAiWireProvider(Vertx vertx, ObjectMapper mapper, String name, ProviderConfig config) {
        this.mapper = mapper;
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
        return client.complete(target(request), body(request));
    }

    @Override
    public final Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request) {
        return client.stream(target(request), body(request));
    }

    @Override
    public final void close() {
        client.close();
    }
}
