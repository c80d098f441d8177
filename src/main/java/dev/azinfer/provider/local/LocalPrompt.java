package dev.azinfer.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import dev.azinfer.api.model.ChatRequestMessage;
import java.util.ArrayList;
import java.util.List;

/** Turns the conversation into the prompt text the in-process model continues. */
final class LocalPrompt {

    private LocalPrompt() {}

    static String build(LlamaModel model, List<ChatRequestMessage> messages, String format) {
        if ("plain".equals(format)) {
            // base models (such as the TinyStories one) have no chat template: they continue the text
            StringBuilder sb = new StringBuilder();
            for (ChatRequestMessage m : messages) {
                String text = text(m.content());
                if (!text.isEmpty()) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(text);
                }
            }
            return sb.toString();
        }
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatRequestMessage m : messages) {
            String text = text(m.content());
            switch (m.role()) {
                case "system", "developer" ->
                    system.append(system.isEmpty() ? "" : "\n").append(text);
                case "assistant" -> turns.add(new Pair<>("assistant", text));
                case "tool" -> turns.add(new Pair<>("user", "Result of tool call " + m.toolCallId() + ": " + text));
                default -> turns.add(new Pair<>("user", text));
            }
        }
        InferenceParameters chat =
                new InferenceParameters("").setMessages(system.isEmpty() ? null : system.toString(), turns);
        return model.applyTemplate(chat);
    }

    /** The text of a content: a string, or the text parts of an array. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                sb.append(part.path("text").asText());
            }
        }
        return sb.toString();
    }
}
