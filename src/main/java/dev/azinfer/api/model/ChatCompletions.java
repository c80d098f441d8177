package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of GetChatCompletions. {@code object} is not in the Azure contract but OpenAI clients read it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChatCompletions", description = "The model's reply.")
public record ChatCompletions(
        @Schema(title = "Completion ID", description = "A unique ID of this completion.", required = true)
        String id,

        @Schema(title = "Object", description = "Always chat.completion.")
        String object,

        @Schema(
                title = "Created",
                description = "When the completion was made, in seconds since 1970-01-01 UTC.",
                required = true)
        long created,

        @Schema(title = "Model", description = "The model that answered.", required = true)
        String model,

        @Schema(
                title = "Choices",
                description = "The replies; one unless the model was asked for more.",
                required = true)
        List<ChatChoice> choices,

        @Schema(title = "Usage", required = true) CompletionsUsage usage) {

    public static final String OBJECT = "chat.completion";

    public ChatCompletions withUsage(CompletionsUsage newUsage) {
        return new ChatCompletions(id, object, created, model, choices, newUsage);
    }

    public ChatCompletions withIdentity(String newId, long newCreated, String newModel) {
        return new ChatCompletions(newId, OBJECT, newCreated, newModel, choices, usage);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ChatChoice", description = "One reply.")
    public record ChatChoice(
            @Schema(title = "Choice Index", description = "The position of this reply.", required = true)
            int index,

            @Schema(
                    title = "Finish Reason",
                    description =
                            "Why the model stopped: stop, length (max tokens reached), content_filter or tool_calls.",
                    enumeration = {"stop", "length", "content_filter", "tool_calls"},
                    required = true,
                    nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS)
            String finishReason,

            @Schema(required = true) ChatResponseMessage message,

            @Schema(title = "Content Filter Results") @JsonInclude(JsonInclude.Include.NON_NULL)
            ContentFilterResults contentFilterResults) {

        public ChatChoice(int index, String finishReason, ChatResponseMessage message) {
            this(index, finishReason, message, null);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ChatResponseMessage", description = "The reply message.")
    public record ChatResponseMessage(
            @Schema(
                    title = "Reply Role",
                    description = "Always assistant.",
                    enumeration = {"assistant"},
                    required = true)
            String role,

            @Schema(
                    title = "Reply Content",
                    description = "The text of the reply; empty when the model calls functions instead.",
                    required = true,
                    nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS)
            String content,

            @Schema(
                    title = "Tool Calls",
                    description = "The functions the model wants called; answer each with a tool message.")
            List<ToolCall> toolCalls,

            @Schema(
                    title = "Reasoning",
                    description = "The reasoning the model did before its reply, from models that report it.",
                    readOnly = true)
            String reasoningContent) {

        public ChatResponseMessage(String role, String content, List<ToolCall> toolCalls) {
            this(role, content, toolCalls, null);
        }
    }
}
