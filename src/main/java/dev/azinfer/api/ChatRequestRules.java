package dev.azinfer.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.ChatCompletionsOptions.ToolDefinition;
import dev.azinfer.api.model.ChatRequestMessage;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules that span fields or depend on a discriminator (message role, content part type, format type). */
final class ChatRequestRules {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Set<String> PART_TYPES = Set.of("text", "image_url", "input_audio", "audio_url");
    private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");
    private static final Set<String> PRESET_CHOICES = Set.of("auto", "none", "required");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ChatRequestRules() {}

    static void check(ChatCompletionsOptions o) {
        for (int i = 0; i < o.messages().size(); i++) {
            checkMessage(o.messages().get(i), "messages[" + i + "]");
        }
        if (o.tools() != null) {
            for (int i = 0; i < o.tools().size(); i++) {
                checkTool(o.tools().get(i), "tools[" + i + "]");
            }
        }
        checkToolChoice(o.toolChoice(), o.tools());
        if (o.responseFormat() != null) {
            String type = o.responseFormat().type();
            if (!FORMATS.contains(type)) {
                throw invalid("response_format.type", "must be 'text', 'json_object' or 'json_schema'");
            }
            if (type.equals("json_schema")) {
                if (o.responseFormat().jsonSchema() == null) {
                    throw invalid("response_format.json_schema", "is required when the type is 'json_schema'");
                }
                if (!o.responseFormat().jsonSchema().schema().isObject()) {
                    throw invalid("response_format.json_schema.schema", "must be a JSON Schema object");
                }
            }
        }
        if (o.stop() != null && o.stop().stream().anyMatch(String::isEmpty)) {
            throw invalid("stop", "stop sequences must not be empty");
        }
    }

    private static void checkMessage(ChatRequestMessage m, String at) {
        if (!ROLES.contains(m.role())) {
            throw invalid(at + ".role", "must be one of system, developer, user, assistant, tool");
        }
        JsonNode content = m.content();
        boolean absent = content == null || content.isNull();
        switch (m.role()) {
            case "system", "developer" -> {
                if (absent) {
                    throw invalid(at + ".content", "is required for a " + m.role() + " message");
                }
                checkContent(content, at + ".content", Set.of("text"));
            }
            case "user" -> {
                if (absent) {
                    throw invalid(at + ".content", "is required for a user message");
                }
                checkContent(content, at + ".content", PART_TYPES);
            }
            case "assistant" -> {
                boolean noCalls = m.toolCalls() == null || m.toolCalls().isEmpty();
                if (absent && noCalls) {
                    throw invalid(at + ".content", "an assistant message needs content or tool_calls");
                }
                if (!absent) {
                    checkContent(content, at + ".content", Set.of("text"));
                }
            }
            case "tool" -> {
                if (m.toolCallId() == null || m.toolCallId().isEmpty()) {
                    throw invalid(at + ".tool_call_id", "is required for a tool message");
                }
                if (!absent) {
                    checkContent(content, at + ".content", Set.of("text"));
                }
            }
            default -> throw new IllegalStateException(m.role());
        }
        if (m.toolCalls() != null && !m.role().equals("assistant")) {
            throw invalid(at + ".tool_calls", "only assistant messages carry tool_calls");
        }
        if (m.toolCalls() != null) {
            for (int i = 0; i < m.toolCalls().size(); i++) {
                String type = m.toolCalls().get(i).type();
                // left out, it is a function call: the only kind there is
                if (type != null && !type.equals("function")) {
                    throw invalid(at + ".tool_calls[" + i + "].type", "must be 'function'");
                }
            }
        }
    }

    private static void checkContent(JsonNode content, String at, Set<String> allowedParts) {
        if (content.isTextual()) {
            return;
        }
        if (!content.isArray()) {
            throw invalid(at, "must be a string or an array of content parts");
        }
        if (content.isEmpty()) {
            throw invalid(at, "must contain at least one content part");
        }
        for (int j = 0; j < content.size(); j++) {
            checkPart(content.get(j), at + "[" + j + "]", allowedParts);
        }
    }

    private static void checkPart(JsonNode part, String at, Set<String> allowed) {
        if (!part.isObject() || !part.path("type").isTextual()) {
            throw invalid(at + ".type", "each content part needs a 'type'");
        }
        String type = part.get("type").asText();
        if (!PART_TYPES.contains(type)) {
            throw invalid(at + ".type", "must be one of text, image_url, input_audio, audio_url");
        }
        if (!allowed.contains(type)) {
            throw invalid(at + ".type", "'" + type + "' parts are only allowed in user messages");
        }
        switch (type) {
            case "text" -> requireText(part, "text", at);
            case "image_url" -> {
                requireText(part.path("image_url"), "url", at + ".image_url");
                JsonNode detail = part.path("image_url").path("detail");
                if (!detail.isMissingNode() && !Set.of("auto", "low", "high").contains(detail.asText())) {
                    throw invalid(at + ".image_url.detail", "must be 'auto', 'low' or 'high'");
                }
            }
            case "input_audio" -> {
                requireText(part.path("input_audio"), "data", at + ".input_audio");
                String format = part.path("input_audio").path("format").asText();
                if (!Set.of("wav", "mp3").contains(format)) {
                    throw invalid(at + ".input_audio.format", "must be 'wav' or 'mp3'");
                }
            }
            case "audio_url" -> requireText(part.path("audio_url"), "url", at + ".audio_url");
            default -> throw new IllegalStateException(type);
        }
    }

    private static void requireText(JsonNode parent, String field, String at) {
        if (!parent.path(field).isTextual()) {
            throw invalid(at + "." + field, "is required and must be a string");
        }
    }

    private static void checkTool(ToolDefinition tool, String at) {
        if (!"function".equals(tool.type())) {
            throw invalid(at + ".type", "must be 'function'");
        }
        if (!FUNCTION_NAME.matcher(tool.function().name()).matches()) {
            throw invalid(at + ".function.name", "must be 1 to 64 letters, digits, '_' or '-'");
        }
        JsonNode parameters = tool.function().parameters();
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw invalid(at + ".function.parameters", "must be a JSON Schema object");
        }
    }

    private static void checkToolChoice(JsonNode choice, List<ToolDefinition> tools) {
        if (choice == null || choice.isNull()) {
            return;
        }
        boolean hasTools = tools != null && !tools.isEmpty();
        if (choice.isTextual()) {
            String preset = choice.asText();
            if (!PRESET_CHOICES.contains(preset)) {
                throw invalid(
                        "tool_choice",
                        "must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
            }
            if (preset.equals("required") && !hasTools) {
                throw invalid("tool_choice", "'required' needs at least one tool in 'tools'");
            }
            return;
        }
        if (!choice.isObject()
                || !"function".equals(choice.path("type").asText())
                || !choice.path("function").path("name").isTextual()) {
            throw invalid(
                    "tool_choice",
                    "must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
        }
        String name = choice.path("function").path("name").asText();
        if (!hasTools || tools.stream().noneMatch(t -> t.function().name().equals(name))) {
            throw invalid("tool_choice.function.name", "names the function '" + name + "', which is not in 'tools'");
        }
    }

    private static ApiException invalid(String field, String why) {
        return ApiException.invalidParameter(field, "Invalid value for '" + field + "': " + why + ".");
    }
}
