package dev.azinfer;

import static dev.azinfer.support.Api.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever is wrong with a request, the answer is a 4xx in the Azure envelope, never a
 * 5xx. Requests are made by mutating a valid one at random (fixed seed, so a failure reproduces).
 */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class MalformedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] FIELDS = {
        "messages",
        "temperature",
        "top_p",
        "frequency_penalty",
        "presence_penalty",
        "max_tokens",
        "stop",
        "stream",
        "tools",
        "tool_choice",
        "response_format",
        "seed",
        "model"
    };

    private static JsonNode[] oddValues() {
        return new JsonNode[] {
            F.nullNode(),
            F.textNode(""),
            F.textNode("x"),
            F.numberNode(-1),
            F.numberNode(1e308),
            F.numberNode(-1e308),
            F.numberNode(0.5),
            F.numberNode(Long.MAX_VALUE),
            F.numberNode(3),
            F.booleanNode(true),
            F.arrayNode(),
            F.arrayNode().add(1).add("a"),
            F.objectNode(),
            F.objectNode().put("type", "function"),
            F.arrayNode().add(F.objectNode()),
            F.textNode("\u0000\uFFFF"),
            F.arrayNode().add(F.nullNode())
        };
    }

    private static ObjectNode valid() {
        ObjectNode root = F.objectNode();
        root.put("model", "gpt-fake");
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", "be brief");
        messages.addObject().put("role", "user").put("content", "hello");
        root.put("temperature", 0.3);
        root.put("max_tokens", 5);
        return root;
    }

    @Test
    void random_malformed_requests_are_4xx_with_azure_errors_never_5xx() throws Exception {
        Random random = new Random(20261122);
        JsonNode[] odd = oddValues();
        List<String> failures = new ArrayList<>();
        int clientErrors = 0;
        for (int i = 0; i < 300; i++) {
            ObjectNode request = valid();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(request, random, odd);
            }
            String body = request.toString();
            Response response = keyed().contentType(ContentType.JSON).body(body).post("/chat/completions");
            int status = response.statusCode();
            if (status >= 500) {
                failures.add(status + " for " + body + " -> " + response.asString());
            } else if (status >= 400) {
                clientErrors++;
                JsonNode error = JSON.readTree(response.asString()).path("error");
                if (!error.path("code").isTextual()
                        || !error.path("message").isTextual()
                        || response.header("x-ms-error-code") == null) {
                    failures.add("not an Azure error: " + body + " -> " + response.asString());
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(clientErrors > 150, "most mutations are invalid: " + clientErrors);
    }

    private static void mutate(ObjectNode request, Random random, JsonNode[] odd) {
        switch (random.nextInt(4)) {
            case 0 -> request.set(FIELDS[random.nextInt(FIELDS.length)], odd[random.nextInt(odd.length)]);
            case 1 -> {
                ArrayNode messages = request.path("messages").isArray()
                        ? (ArrayNode) request.get("messages")
                        : request.putArray("messages");
                ObjectNode message = messages.addObject();
                String[] roles = {"user", "assistant", "tool", "system", "developer", "robot"};
                message.put("role", roles[random.nextInt(roles.length)]);
                String[] contentKeys = {"content", "tool_calls", "tool_call_id", "name"};
                message.set(contentKeys[random.nextInt(contentKeys.length)], odd[random.nextInt(odd.length)]);
            }
            case 2 -> request.set("x_unknown_" + random.nextInt(5), odd[random.nextInt(odd.length)]);
            default -> {
                JsonNode messages = request.path("messages");
                if (messages.isArray() && !messages.isEmpty() && messages.get(0).isObject()) {
                    ((ObjectNode) messages.get(0)).set("content", odd[random.nextInt(odd.length)]);
                }
            }
        }
    }
}
