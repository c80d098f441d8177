package dev.azinfer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/** Reads a data-only server-sent event stream strictly, as the Azure Java SDK does. */
public final class Sse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Sse() {}

    /** The JSON events before {@code data: [DONE]}; fails on any line that is not {@code data:} or blank. */
    public static List<JsonNode> events(String body) {
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        String[] blocks = body.split("\n\n", -1);
        for (String block : blocks) {
            if (block.isEmpty()) {
                continue;
            }
            Assertions.assertFalse(done, "nothing may follow data: [DONE]");
            Assertions.assertFalse(block.contains("\n"), "one line per event: " + block);
            Assertions.assertTrue(block.startsWith("data: "), "only data lines: " + block);
            String data = block.substring(6);
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode event;
            try {
                event = JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!event.has("error")) {
                checkContract(event);
            }
            events.add(event);
        }
        Assertions.assertTrue(done, "the stream ends with data: [DONE]");
        Assertions.assertTrue(body.endsWith("data: [DONE]\n\n"));
        return events;
    }

    /** The required fields of StreamingChatCompletionsUpdate and StreamingChatChoiceUpdate in the contract. */
    private static void checkContract(JsonNode event) {
        for (String field : new String[] {"id", "created", "model", "choices"}) {
            Assertions.assertTrue(
                    event.has(field) && !event.get(field).isNull(), "chunk lacks '" + field + "': " + event);
        }
        Assertions.assertTrue(event.get("created").isIntegralNumber(), "created is Unix seconds");
        for (JsonNode choice : event.get("choices")) {
            Assertions.assertTrue(choice.path("index").isInt(), "choice lacks index: " + event);
            Assertions.assertTrue(
                    choice.has("finish_reason"), "choice lacks finish_reason (null until the end): " + event);
            Assertions.assertTrue(choice.path("delta").isObject(), "choice lacks delta: " + event);
        }
        if (event.has("usage")) {
            for (String field : new String[] {"prompt_tokens", "completion_tokens", "total_tokens"}) {
                Assertions.assertTrue(event.get("usage").path(field).isInt(), "usage lacks " + field);
            }
        }
    }

    /** The usage of the last event that carries one (the stream's final usage), or a missing node. */
    public static JsonNode lastUsage(String body) {
        JsonNode usage = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        for (JsonNode e : events(body)) {
            if (e.hasNonNull("usage")) {
                usage = e.get("usage");
            }
        }
        return usage;
    }

    public static String content(List<JsonNode> events) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : events) {
            for (JsonNode c : e.path("choices")) {
                sb.append(c.path("delta").path("content").asText(""));
            }
        }
        return sb.toString();
    }
}
