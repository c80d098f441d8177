package dev.azinfer.provider;

import static dev.azinfer.api.model.ChatCompletionsOptions.isDefault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.ChatRequestMessage;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The parameter names a request uses, in the vocabulary of the {@code unsupported-parameters}
 * setting: top-level fields, {@code response_format.json_object}/{@code .json_schema}, and the
 * content part types {@code image_url}, {@code input_audio}, {@code audio_url}.
 */
public final class RequestParameters {

    private RequestParameters() {}

    public static Set<String> used(ChatCompletionsOptions o, JsonNode extras) {
        Set<String> used = new LinkedHashSet<>();
        // the documented defaults ask for nothing: designers send them even where a model refuses the parameter
        addIf(
                used,
                !isDefault(o.frequencyPenalty(), ChatCompletionsOptions.DEFAULT_FREQUENCY_PENALTY),
                "frequency_penalty");
        addIf(
                used,
                !isDefault(o.presencePenalty(), ChatCompletionsOptions.DEFAULT_PRESENCE_PENALTY),
                "presence_penalty");
        addIf(used, !isDefault(o.temperature(), ChatCompletionsOptions.DEFAULT_TEMPERATURE), "temperature");
        addIf(used, !isDefault(o.topP(), ChatCompletionsOptions.DEFAULT_TOP_P), "top_p");
        addIf(used, o.maxTokens() != null, "max_tokens");
        addIf(used, o.stop() != null, "stop");
        addIf(used, o.tools() != null, "tools");
        addIf(used, o.toolChoice() != null, "tool_choice");
        addIf(used, o.seed() != null, "seed");
        addIf(used, o.streaming(), "stream");
        if (o.responseFormat() != null && !"text".equals(o.responseFormat().type())) {
            used.add("response_format");
            used.add("response_format." + o.responseFormat().type());
        }
        for (ChatRequestMessage m : o.messages()) {
            if (m.content() != null && m.content().isArray()) {
                for (JsonNode part : m.content()) {
                    used.add(part.path("type").asText());
                }
            }
            addIf(used, m.toolCalls() != null || m.role().equals("tool"), "tools");
        }
        used.remove("text");
        if (extras != null) {
            for (Iterator<String> it = extras.fieldNames(); it.hasNext(); ) {
                used.add(it.next());
            }
        }
        return used;
    }

    private static void addIf(Set<String> set, boolean condition, String name) {
        if (condition) {
            set.add(name);
        }
    }
}
