package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static dev.azinfer.support.Api.streamChat;
import static dev.azinfer.support.Api.streamed;
import static dev.azinfer.support.Api.userMessage;
import static dev.azinfer.support.FakeUpstreamResource.upstream;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.Sse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP provider kinds against a real server on loopback: answers, streams, and every way an upstream fails. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class UpstreamProvidersTest {

    @BeforeEach
    void clear() {
        upstream().clear();
    }

    @Test
    void openai_answer_is_relayed_in_the_azure_shape() {
        chat(userMessage("gpt-fake", "hello"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("id", equalTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT"))
                .body("object", equalTo("chat.completion"))
                .body("created", equalTo(1741569952))
                .body("choices[0].message.content", equalTo("Hello! How can I assist you today?"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(19))
                .body("usage.completion_tokens", equalTo(10))
                .body("usage.total_tokens", equalTo(29));
    }

    @Test
    void tool_call_answer_is_relayed() {
        chat(userMessage("gpt-fake", "#tool"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", nullValue())
                .body("choices[0].message.tool_calls[0].id", equalTo("call_abc123"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_current_weather"))
                .body("choices[0].message.tool_calls[0].function.arguments", containsString("Boston"));
    }

    @Test
    void usage_missing_upstream_is_counted_with_a_tokenizer() {
        chat(userMessage("gpt-fake", "#nousage"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                // OpenAI's documented count: 3 per message plus role and content, and 3 to prime the reply
                .body("usage.completion_tokens", equalTo(cl100k("Hello! How can I assist you today?")))
                .body("usage.prompt_tokens", equalTo(3 + 3 + cl100k("user") + cl100k("#nousage")))
                .body(
                        "usage.total_tokens",
                        equalTo(3
                                + 3
                                + cl100k("user")
                                + cl100k("#nousage")
                                + cl100k("Hello! How can I assist you today?")));
    }

    private static int cl100k(String text) {
        return com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
                .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE)
                .countTokens(text);
    }

    @Test
    void stream_is_relayed_as_data_only_events_with_usage_on_the_last_chunk() {
        String body = streamChat(
                        "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();
        List<JsonNode> events = Sse.events(body);
        assertEquals("Hello there!", Sse.content(events));
        JsonNode last = events.get(events.size() - 1);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText());
        assertEquals(12, last.at("/usage/total_tokens").asInt());
        events.forEach(
                e -> assertEquals("chat.completion.chunk", e.get("object").asText()));
        assertTrue(
                events.stream().map(e -> e.get("id").asText()).distinct().count() == 1, "one id for the whole stream");
        JsonNode sent = upstream().last().body();
        assertTrue(sent.get("stream").asBoolean());
        assertTrue(sent.at("/stream_options/include_usage").asBoolean(), "usage is asked for in the last chunk");
    }

    @Test
    void stream_without_upstream_usage_gets_counted_usage() {
        String body = streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#nousage\"}]}");
        List<JsonNode> events = Sse.events(body);
        JsonNode last = events.get(events.size() - 1);
        assertEquals(3, last.at("/usage/completion_tokens").asInt()); // "Hello", " there", "!"
        assertTrue(last.at("/usage/prompt_tokens").asInt() > 0);
    }

    @Test
    void stream_with_a_choice_after_the_finish_and_no_usage_still_reports_usage() {
        String body = streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#late-choice\"}]}");
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        List<JsonNode> events = Sse.events(body);
        assertEquals(
                1,
                events.stream().filter(e -> e.hasNonNull("usage")).count(),
                "usage once, in the last chunk: " + body);
        JsonNode last = events.get(events.size() - 1);
        assertEquals(3, last.at("/usage/completion_tokens").asInt()); // "Hello", " there", "!"
        assertTrue(last.at("/usage/prompt_tokens").asInt() > 0);
        assertEquals(
                "stop",
                events.stream()
                        .map(e -> e.at("/choices/0/finish_reason").asText(""))
                        .filter(f -> !f.isEmpty())
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void error_event_in_the_upstream_stream_ends_the_stream_with_that_error() throws Exception {
        String body = streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#error-event\"}]}");
        assertTrue(body.startsWith("data: {\"id\""), "the chunks before the error are relayed: " + body);
        assertTrue(!body.contains("[DONE]"), "a failed stream does not pretend to be complete: " + body);
        String[] blocks = body.split("\n\n");
        for (String block : blocks) {
            assertTrue(block.startsWith("data: "), "only data lines, even on failure: " + block);
        }
        JsonNode last = new ObjectMapper().readTree(blocks[blocks.length - 1].substring(6));
        assertEquals("server_error", last.at("/error/code").asText(), body);
        assertTrue(last.at("/error/message").asText().contains("The model crashed"), body);
    }

    @Test
    void streamed_tool_call_fragments_are_relayed() {
        String body = streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#tool\"}]}");
        List<JsonNode> events = Sse.events(body);
        assertEquals(
                "call_w1", events.get(0).at("/choices/0/delta/tool_calls/0/id").asText());
        StringBuilder args = new StringBuilder();
        events.forEach(e -> args.append(
                e.at("/choices/0/delta/tool_calls/0/function/arguments").asText("")));
        assertEquals("{\"location\":\"Paris\"}", args.toString());
        assertEquals(
                "tool_calls",
                events.get(events.size() - 1).at("/choices/0/finish_reason").asText());
    }

    @Test
    void stream_chunks_arrive_as_the_upstream_sends_them() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = Api.rawChat(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#endless\"}]}");
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream in = response.body()) {
            // the upstream sends one event every 50 ms for 10 s: the first must arrive long before the end
            long start = System.nanoTime();
            byte[] first = new byte[6];
            assertEquals(6, in.readNBytes(first, 0, 6));
            assertEquals("data: ", new String(first));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "first event was not held back");
        }
    }

    @Test
    void client_that_disconnects_cancels_the_upstream_call() throws Exception {
        int before = upstream().abandoned();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = Api.rawChat(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#endless\"}]}");
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            in.readNBytes(100);
        }
        assertUpstreamAbandoned(before);
    }

    @Test
    void client_that_disconnects_before_a_plain_answer_cancels_the_upstream_call() throws Exception {
        int before = upstream().abandoned();
        String body = userMessage("gpt-fake", "#slow");
        // a bare socket: the client leaves, for sure, while the upstream is still working on the answer
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream()
                    .write(("POST /chat/completions?api-version=" + Api.VERSION + " HTTP/1.1\r\n"
                                    + "Host: localhost\r\napi-key: " + Api.KEY + "\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + body.length()
                                    + "\r\n\r\n" + body)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(500);
        }
        assertUpstreamAbandoned(before);
    }

    private static void assertUpstreamAbandoned(int before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (upstream().abandoned() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before + 1, upstream().abandoned(), "the upstream connection was closed when the client left");
    }

    @Test
    void an_assistant_tool_call_without_type_reaches_the_upstream_as_a_function_call() {
        // some clients send their history back without the type; OpenAI and Azure refuse it without one
        Api.keyed()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200);
        assertEquals(
                "function",
                upstream().last().body().at("/messages/1/tool_calls/0/type").asText());
    }

    @Test
    void a_reasoning_models_thinking_is_relayed_as_reasoning_content() {
        Api.azure2025()
                .contentType(ContentType.JSON)
                .body(userMessage("gpt-fake", "#reasoning"))
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("choices[0].message.reasoning_content", equalTo("The user greets me, so I greet back."))
                .body("choices[0].message.content", equalTo("Hello! How can I assist you today?"));
        String events = Api.streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#reasoning\"}]}");
        assertTrue(events.contains("\"delta\":{\"reasoning_content\":\"The user greets me.\"}"), events);
    }

    @Test
    void azure_content_filter_results_are_relayed_with_each_choice() {
        chat(userMessage("azure-oai", "#filtered"))
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("choices[0].content_filter_results.hate.severity", equalTo("safe"))
                .body("choices[0].content_filter_results.self_harm.filtered", equalTo(false))
                .body("choices[0].content_filter_results.jailbreak", nullValue());
        String events = Api.streamed(
                "{\"model\":\"azure-oai\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#filtered\"}]}");
        assertTrue(
                events.contains("\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}"),
                events);
        assertFalse(events.contains("\"content_filter_results\":{}"), "an empty finding is left out: " + events);
    }

    @Test
    void a_prompt_azures_content_filter_refuses_is_400_content_filter_with_its_findings() {
        chat(userMessage("azure-oai", "#filtered-prompt"))
                .post("/chat/completions")
                .then()
                .statusCode(400)
                .header("x-ms-error-code", "content_filter")
                .body("error.code", equalTo("content_filter"))
                .body("error.innererror.code", equalTo("ResponsibleAIPolicyViolation"))
                .body("error.innererror.content_filter_result.violence.filtered", equalTo(true));
    }

    @Test
    void upstream_429_is_429_with_its_retry_after() {
        chat(userMessage("gpt-fake", "#429"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(429)
                .header("Retry-After", "7")
                .header("retry-after-ms", "7000")
                .header("x-ms-error-code", "rate_limit_exceeded")
                .body("error.message", containsString("Rate limit reached"));
    }

    @Test
    void upstream_429_on_a_stream_is_an_http_429_not_a_broken_stream() {
        streamChat("{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#429\"}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(429)
                .header("Retry-After", "7")
                .body("error.code", equalTo("rate_limit_exceeded"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            gpt-fake | #400     | 400 | string_above_max_length        | Invalid 'messages[0].content': string too long.
            gpt-fake | #401     | 502 | upstream_authentication_failed | rejected the service's credentials
            gpt-fake | #500     | 502 | upstream_error                 | The server had an error
            gpt-fake | #garbage | 502 | upstream_invalid_response      | not a chat completion
            dead     | hello    | 502 | upstream_unreachable           | deployment 'dead' cannot be reached
            slow     | #slow    | 504 | upstream_timeout               | did not answer in time
            """)
    void upstream_failures_are_answered_with_documented_statuses(
            String deployment, String marker, int status, String code, String message) {
        chat(userMessage(deployment, marker))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(status)
                .header("x-ms-error-code", code)
                .body("error.code", equalTo(code))
                .body("error.message", containsString(message));
    }

    @Test
    void stream_dropped_by_the_upstream_ends_with_an_error_event() {
        String body = streamed(
                "{\"model\":\"gpt-fake\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#drop\"}]}");
        assertTrue(body.startsWith("data: {\"id\""), body);
        assertTrue(body.contains("\"error\":{\"code\":\"upstream_error\""), body);
        assertTrue(!body.contains("[DONE]"), "a broken stream does not pretend to be complete");
        for (String block : body.split("\n\n")) {
            assertTrue(block.startsWith("data: "), "only data lines, even on failure: " + block);
        }
    }

    @Test
    void azure_openai_gets_its_url_api_version_and_api_key() {
        chat(userMessage("azure-oai", "hello"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        var got = upstream().last();
        assertEquals("/aoai/openai/deployments/aoai-deploy/chat/completions", got.path());
        assertEquals("api-version=2024-10-21", got.query());
        assertEquals("aoai-secret", got.headers().get("api-key"));
        assertEquals(null, got.headers().get("Authorization"));
    }

    @Test
    void azure_ai_gets_the_model_and_the_extra_parameters_policy() {
        chat("{\"model\":\"azure-ai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"safe_mode\":true}")
                .header("extra-parameters", "pass-through")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        var got = upstream().last();
        assertEquals("/aai/models/chat/completions", got.path());
        assertEquals("api-version=2024-05-01-preview", got.query());
        assertEquals("aai-secret", got.headers().get("api-key"));
        assertEquals("pass-through", got.headers().get("extra-parameters"));
        assertEquals("Phi-4", got.body().get("model").asText());
        assertTrue(got.body().get("safe_mode").asBoolean());
    }

    @Test
    void azure_ai_stream_does_not_send_stream_options() {
        streamChat("{\"model\":\"azure-ai\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        assertTrue(!upstream().last().body().has("stream_options"));
    }
}
