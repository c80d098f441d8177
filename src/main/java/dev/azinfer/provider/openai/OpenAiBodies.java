package dev.azinfer.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.provider.ChatRequest;

/** Builds the upstream request body from a validated request. */
public final class OpenAiBodies {

    private OpenAiBodies() {}

    /**
     * @param model the model name to send, or null to send none (Azure OpenAI takes it from the URL)
     * @param askStreamUsage ask for usage in the last chunk ({@code stream_options}), which OpenAI
     *     servers otherwise leave out of streams
     */
    public static ObjectNode build(ObjectMapper mapper, ChatRequest request, String model, boolean askStreamUsage) {
        ObjectNode body = mapper.valueToTree(request.options());
        body.remove("model");
        if (model != null) {
            body.put("model", model);
        }
        if (request.options().streaming()) {
            body.put("stream", true);
            if (askStreamUsage) {
                body.putObject("stream_options").put("include_usage", true);
            }
        } else {
            body.remove("stream");
        }
        // pass-through: unknown fields reach the model unchanged, and win over ours if they collide
        body.setAll(request.extras());
        return body;
    }
}
