package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** One server-sent event of a streamed chat completion. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamingChatCompletionsUpdate(
        String id, String object, long created, String model, List<StreamingChoice> choices, CompletionsUsage usage) {

    public static final String OBJECT = "chat.completion.chunk";

    public StreamingChatCompletionsUpdate withIdentity(String newId, long newCreated, String newModel) {
        return new StreamingChatCompletionsUpdate(newId, OBJECT, newCreated, newModel, choices, usage);
    }

    public static StreamingChatCompletionsUpdate delta(Delta delta, String finishReason) {
        return new StreamingChatCompletionsUpdate(
                null, OBJECT, 0, null, List.of(new StreamingChoice(0, finishReason, delta)), null);
    }

    public static StreamingChatCompletionsUpdate usageOnly(CompletionsUsage usage) {
        return new StreamingChatCompletionsUpdate(null, OBJECT, 0, null, List.of(), usage);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StreamingChoice(
            int index,
            @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason,
            Delta delta,
            @JsonInclude(JsonInclude.Include.NON_NULL) ContentFilterResults contentFilterResults) {

        public StreamingChoice(int index, String finishReason, Delta delta) {
            this(index, finishReason, delta, null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, List<ToolCallDelta> toolCalls, String reasoningContent) {

        public Delta(String role, String content, List<ToolCallDelta> toolCalls) {
            this(role, content, toolCalls, null);
        }
    }

    /** A tool call in a stream; {@code index} says which call a fragment continues (OpenAI clients need it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, ToolCall.FunctionCall function) {}
}
