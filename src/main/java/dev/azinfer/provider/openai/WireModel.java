package dev.azinfer.provider.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.ChatCompletions.ChatChoice;
import dev.azinfer.api.model.ChatCompletions.ChatResponseMessage;
import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.api.model.ContentFilterResults;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.Delta;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.StreamingChoice;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.ToolCallDelta;
import dev.azinfer.api.model.ToolCall;
import java.util.List;

/**
 * The chat completions wire format shared by OpenAI, Azure OpenAI, Azure AI and the
 * OpenAI-compatible servers (vLLM, Ollama, llama.cpp, LM Studio), read leniently: servers differ
 * in which fields they fill.
 */
final class WireModel {

    private WireModel() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Completion(
            String id, Long created, String model, List<Choice> choices, Usage usage, JsonNode error, String object) {

        /** An error event where a chunk was expected: {@code {"error":{...}}}, or vLLM's older {@code {"object":"error"}}. */
        boolean isError() {
            return (error != null && !error.isNull()) || "error".equals(object);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Choice(
            Integer index,
            String finishReason,
            Message message,
            Message delta,
            ContentFilterResults contentFilterResults) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Message(
            String role, String content, List<WireToolCall> toolCalls, String reasoningContent, String reasoning) {

        /** DeepSeek and vLLM's reasoning parsers say {@code reasoning_content}; newer vLLM says {@code reasoning}. */
        String reasoningText() {
            return reasoningContent != null ? reasoningContent : reasoning;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record WireToolCall(Integer index, String id, String type, Function function) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Function(String name, String arguments) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Usage(Integer promptTokens, Integer completionTokens, Integer totalTokens) {
        CompletionsUsage toPublic() {
            if (promptTokens == null || completionTokens == null) {
                return null;
            }
            return CompletionsUsage.of(promptTokens, completionTokens);
        }
    }

    static ChatCompletions toPublic(Completion c) {
        List<ChatChoice> choices = c.choices() == null
                ? List.of()
                : c.choices().stream()
                        .map(ch -> new ChatChoice(
                                ch.index() == null ? 0 : ch.index(),
                                finishReason(ch.finishReason()),
                                message(ch.message()),
                                ContentFilterResults.orNull(ch.contentFilterResults())))
                        .toList();
        return new ChatCompletions(
                c.id(),
                ChatCompletions.OBJECT,
                c.created() == null ? 0 : c.created(),
                c.model(),
                choices,
                c.usage() == null ? null : c.usage().toPublic());
    }

    static StreamingChatCompletionsUpdate toPublicUpdate(Completion c) {
        List<StreamingChoice> choices = c.choices() == null
                ? List.of()
                : c.choices().stream()
                        .map(ch -> new StreamingChoice(
                                ch.index() == null ? 0 : ch.index(),
                                finishReason(ch.finishReason()),
                                delta(ch.delta()),
                                ContentFilterResults.orNull(ch.contentFilterResults())))
                        .toList();
        return new StreamingChatCompletionsUpdate(
                c.id(),
                StreamingChatCompletionsUpdate.OBJECT,
                c.created() == null ? 0 : c.created(),
                c.model(),
                choices,
                c.usage() == null ? null : c.usage().toPublic());
    }

    private static ChatResponseMessage message(Message m) {
        if (m == null) {
            return new ChatResponseMessage("assistant", null, null);
        }
        List<ToolCall> calls = m.toolCalls() == null || m.toolCalls().isEmpty()
                ? null
                : m.toolCalls().stream()
                        .map(t -> ToolCall.function(
                                t.id(),
                                t.function() == null ? null : t.function().name(),
                                t.function() == null ? "{}" : t.function().arguments()))
                        .toList();
        return new ChatResponseMessage(
                m.role() == null ? "assistant" : m.role(), m.content(), calls, m.reasoningText());
    }

    private static Delta delta(Message m) {
        if (m == null) {
            return new Delta(null, null, null);
        }
        List<ToolCallDelta> calls = m.toolCalls() == null || m.toolCalls().isEmpty()
                ? null
                : m.toolCalls().stream()
                        .map(t -> new ToolCallDelta(
                                t.index() == null ? 0 : t.index(),
                                t.id(),
                                t.type(),
                                t.function() == null
                                        ? null
                                        : new ToolCall.FunctionCall(
                                                t.function().name(),
                                                t.function().arguments())))
                        .toList();
        return new Delta(m.role(), m.content(), calls, m.reasoningText());
    }

    /** Upstreams use a few names the contract does not know; they mean what the contract calls these. */
    static String finishReason(String upstream) {
        if (upstream == null) {
            return null;
        }
        return switch (upstream) {
            case "stop", "length", "content_filter", "tool_calls" -> upstream;
            case "function_call" -> "tool_calls";
            case "max_tokens", "model_length" -> "length";
            default -> "stop";
        };
    }
}
