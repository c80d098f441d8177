package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The answer of GetChatCompletions. {@code object} is not in the Azure contract but OpenAI clients read it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletions(
        String id, String object, long created, String model, List<ChatChoice> choices, CompletionsUsage usage) {

    public static final String OBJECT = "chat.completion";

    public ChatCompletions withUsage(CompletionsUsage newUsage) {
        return new ChatCompletions(id, object, created, model, choices, newUsage);
    }

    public ChatCompletions withIdentity(String newId, long newCreated, String newModel) {
        return new ChatCompletions(newId, OBJECT, newCreated, newModel, choices, usage);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatChoice(
            int index,
            @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason,
            ChatResponseMessage message) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChatResponseMessage(
            String role,
            @JsonInclude(JsonInclude.Include.ALWAYS) String content,
            List<ToolCall> toolCalls) {}
}
