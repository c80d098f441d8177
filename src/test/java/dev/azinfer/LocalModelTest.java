package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static dev.azinfer.support.Api.streamed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.support.Admin;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.Sse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-process provider with the real TinyStories model (../shared/models/stories260K.gguf). */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class LocalModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String request(String extra) {
        return "{\"model\":\"tiny-stories\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]" + extra
                + "}";
    }

    private static JsonPath complete(String extra) {
        return chat(request(extra))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The ledger's requests for tiny-stories with the given outcome, and their completion tokens. */
    private static long[] ledger(String outcome) {
        var rows = Admin.admin()
                .queryParam("from", "2000-01-01")
                .queryParam("to", "2100-01-01")
                .queryParam("groupBy", "deployment,outcome")
                .get("/usage")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList(
                        "value.findAll { it.deployment == 'tiny-stories' && it.outcome == '" + outcome + "' }",
                        Map.class);
        long requests = 0;
        long completion = 0;
        for (var row : rows) {
            requests += ((Number) row.get("requests")).longValue();
            completion += ((Number) row.get("completionTokens")).longValue();
        }
        return new long[] {requests, completion};
    }

    @Test
    void a_client_that_leaves_before_the_answer_stops_the_generation_and_is_recorded_abandoned() throws Exception {
        long[] before = ledger("abandoned");
        HttpRequest leaving = HttpRequest.newBuilder(
                        Api.rawChat(request(",\"max_tokens\":500,\"seed\":2")), (n, v) -> true)
                // 500 tokens take this model half a second and more: the client gives up long before
                .timeout(Duration.ofMillis(100))
                .build();
        assertThrows(HttpTimeoutException.class, () -> HttpClient.newHttpClient()
                .send(leaving, HttpResponse.BodyHandlers.ofString()));
        long[] after = before;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (after[0] == before[0] && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = ledger("abandoned");
        }
        assertEquals(before[0] + 1, after[0], "the request the client left is in the ledger as abandoned");
        assertEquals(before[1], after[1], "no completion tokens are charged for an answer nobody received");
        // the generation stopped: the model answers the next request
        assertEquals(2, complete(",\"max_tokens\":2").getInt("usage.completion_tokens"));
    }

    @Test
    void same_seed_gives_the_same_text_and_another_seed_another() {
        String a = complete(",\"seed\":42,\"max_tokens\":40").getString("choices[0].message.content");
        String b = complete(",\"seed\":42,\"max_tokens\":40").getString("choices[0].message.content");
        String c = complete(",\"seed\":4242,\"max_tokens\":40").getString("choices[0].message.content");
        assertFalse(a.isBlank());
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void concurrent_requests_do_not_corrupt_each_other() {
        String expected = complete(",\"seed\":7,\"max_tokens\":30").getString("choices[0].message.content");
        List<CompletableFuture<String>> runs = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> complete(",\"seed\":7,\"max_tokens\":30").getString("choices[0].message.content")))
                .toList();
        runs.forEach(r -> assertEquals(expected, r.join()));
    }

    @Test
    void max_tokens_ends_with_length_and_counts_real_tokens() {
        JsonPath r = complete(",\"seed\":1,\"max_tokens\":5");
        assertEquals("length", r.getString("choices[0].finish_reason"));
        assertEquals(5, r.getInt("usage.completion_tokens"));
        assertEquals(5, r.getInt("usage.prompt_tokens")); // BOS + "Once upon a time" (4 tokens)
        assertEquals(10, r.getInt("usage.total_tokens"));
    }

    @Test
    void zero_max_tokens_generates_nothing() {
        JsonPath r = complete(",\"max_tokens\":0");
        assertEquals("", r.getString("choices[0].message.content"));
        assertEquals("length", r.getString("choices[0].finish_reason"));
        assertEquals(0, r.getInt("usage.completion_tokens"));
    }

    @Test
    void stop_sequence_ends_the_text_before_it() {
        String full =
                complete(",\"seed\":3,\"max_tokens\":60,\"temperature\":0").getString("choices[0].message.content");
        String[] words = full.trim().split("\\s+");
        String stopWord = words[Math.min(5, words.length - 1)];
        JsonPath r = complete(",\"seed\":3,\"max_tokens\":60,\"temperature\":0,\"stop\":[\"" + stopWord + "\"]");
        String cut = r.getString("choices[0].message.content");
        assertEquals("stop", r.getString("choices[0].finish_reason"));
        assertFalse(cut.contains(stopWord), cut);
        assertTrue(full.startsWith(cut), "the stopped text is the start of the full text");
    }

    @Test
    void stream_sends_token_by_token_the_same_text() {
        String whole = complete(",\"seed\":11,\"max_tokens\":20").getString("choices[0].message.content");
        String body = streamed(request(",\"seed\":11,\"max_tokens\":20,\"stream\":true"));
        List<JsonNode> events = Sse.events(body);
        assertEquals(whole, Sse.content(events));
        assertTrue(events.size() >= 20, "one event per token: " + events.size());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("length", last.at("/choices/0/finish_reason").asText());
        assertEquals(20, last.at("/usage/completion_tokens").asInt());
        assertEquals("assistant", events.get(0).at("/choices/0/delta/role").asText());
    }

    @Test
    void json_schema_output_parses_and_validates() throws Exception {
        String format =
                ",\"max_tokens\":120,\"seed\":5,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"pet\",\"schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":10},\"age\":{\"type\":\"integer\"},"
                        + "\"kind\":{\"enum\":[\"cat\",\"dog\"]}},\"required\":[\"name\",\"age\",\"kind\"],\"additionalProperties\":false}}}";
        JsonPath r = complete(format);
        assertEquals("stop", r.getString("choices[0].finish_reason"));
        JsonNode pet = JSON.readTree(r.getString("choices[0].message.content"));
        assertTrue(pet.get("name").isTextual() && pet.get("name").asText().length() <= 10, pet.toString());
        assertTrue(pet.get("age").isIntegralNumber(), pet.toString());
        assertTrue(List.of("cat", "dog").contains(pet.get("kind").asText()), pet.toString());
        assertEquals(3, pet.size());
    }

    @Test
    void required_tool_choice_gives_a_call_matching_the_function_schema() throws Exception {
        String tools =
                ",\"max_tokens\":100,\"seed\":9,\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":12},\"unit\":{\"enum\":[\"C\",\"F\"]}},"
                        + "\"required\":[\"city\",\"unit\"],\"additionalProperties\":false}}}]";
        JsonPath r = complete(tools);
        assertEquals("tool_calls", r.getString("choices[0].finish_reason"));
        assertEquals("get_weather", r.getString("choices[0].message.tool_calls[0].function.name"));
        assertEquals("function", r.getString("choices[0].message.tool_calls[0].type"));
        assertTrue(r.getString("choices[0].message.tool_calls[0].id").startsWith("call_"));
        JsonNode args = JSON.readTree(r.getString("choices[0].message.tool_calls[0].function.arguments"));
        assertTrue(args.get("city").isTextual());
        assertTrue(List.of("C", "F").contains(args.get("unit").asText()));
    }

    @Test
    void named_tool_choice_streams_the_call() {
        String body = streamed(
                request(
                        ",\"stream\":true,\"max_tokens\":100,\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}},"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},{\"type\":\"function\",\"function\":{\"name\":\"b\","
                                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}}}]"));
        List<JsonNode> events = Sse.events(body);
        JsonNode call = events.stream()
                .map(e -> e.at("/choices/0/delta/tool_calls/0"))
                .filter(JsonNode::isObject)
                .findFirst()
                .orElseThrow();
        assertEquals("b", call.at("/function/name").asText());
        assertTrue(call.at("/function/arguments").asText().contains("\"n\""));
        assertEquals(
                "tool_calls",
                events.get(events.size() - 1).at("/choices/0/finish_reason").asText());
    }

    @Test
    void keywords_outside_the_grammars_subset_are_left_out_unless_the_schema_is_strict() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{"
                + "\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\",\"maxLength\":8},"
                + "\"mail\":{\"type\":\"string\",\"format\":\"email\",\"maxLength\":12}},"
                + "\"required\":[\"code\",\"mail\"],\"additionalProperties\":false}";
        // strict is false by default: the model follows what it can of the schema
        JsonPath r = complete(
                ",\"max_tokens\":120,\"seed\":3,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                        + schema + "}}");
        JsonNode out = JSON.readTree(r.getString("choices[0].message.content"));
        assertTrue(out.get("code").isTextual() && out.get("code").asText().length() <= 8, out.toString());
        assertTrue(out.get("mail").isTextual() && out.get("mail").asText().length() <= 12, out.toString());
        assertEquals(2, out.size(), out.toString());
        // strict: the schema must be followed exactly, and the grammar cannot follow a pattern
        chat(request(
                        ",\"max_tokens\":5,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"strict\":true,\"schema\":"
                                + schema + "}}"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.target", equalTo("response_format.json_schema.schema.properties.code.pattern"));
    }

    @Test
    void schema_keywords_the_grammar_cannot_take_are_422_and_the_service_lives_on() {
        chat(request(
                        ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"$ref\":\"#/nowhere\"}}}"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.code", equalTo("parameter_not_supported"))
                .body("error.target", equalTo("response_format.json_schema.schema.$ref"));
        complete(",\"max_tokens\":3");
    }

    /** Inputs on which llama.cpp's schema converter would throw a C++ exception and abort the JVM. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "{\"type\":\"object\",\"properties\":{\"$ref\":{\"type\":\"string\"}}}",
                "{\"type\":\"object\",\"default\":{\"$ref\":\"x\"}}",
                "{\"type\":\"string\",\"description\":{\"$ref\":1}}",
                "{\"type\":\"array\",\"items\":true}",
                "{\"type\":\"object\",\"properties\":{\"a\":true}}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"description\":\"free text\"}}}",
                "{\"required\":[\"a\"]}",
                "{\"type\":\"string\",\"minLength\":2000000000}",
                "{\"type\":\"object\",\"enum\":[{\"a\":{\"$ref\":\"#\"}}]}"
            })
    void schemas_that_would_crash_the_grammar_converter_are_422(String schema) {
        chat(request(
                        ",\"max_tokens\":5,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                                + schema + "}}"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.code", equalTo("parameter_not_supported"));
        chat(request(
                        ",\"max_tokens\":5,\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
                                + schema + "}}]"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422);
        complete(",\"max_tokens\":2");
    }

    @Test
    void images_are_422_for_the_text_only_model() {
        chat("{\"model\":\"tiny-stories\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.target", equalTo("image_url"));
    }

    @Test
    void prompt_longer_than_the_context_is_400() {
        String longText = "Once upon a time there was a cat. ".repeat(80);
        chat("{\"model\":\"tiny-stories\",\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(400)
                .body("error.target", equalTo("messages"))
                .body("error.message", org.hamcrest.Matchers.containsString("context"));
    }

    @Test
    void temperature_and_penalties_reach_the_sampler() {
        // at temperature 0 the seed does not matter; at 1 it does
        String t0a =
                complete(",\"seed\":1,\"temperature\":0,\"max_tokens\":30").getString("choices[0].message.content");
        String t0b =
                complete(",\"seed\":2,\"temperature\":0,\"max_tokens\":30").getString("choices[0].message.content");
        assertEquals(t0a, t0b);
        String penalized = complete(
                        ",\"seed\":1,\"temperature\":0,\"max_tokens\":30,\"frequency_penalty\":2,\"presence_penalty\":2")
                .getString("choices[0].message.content");
        assertNotEquals(t0a, penalized);
        chat(request(",\"max_tokens\":2"))
                .when()
                .post("/chat/completions")
                .then()
                .body("usage.total_tokens", greaterThan(0));
    }
}
