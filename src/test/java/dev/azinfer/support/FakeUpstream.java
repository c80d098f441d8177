package dev.azinfer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST TOOL, not a model: a real HTTP server on loopback that behaves like an OpenAI-compatible
 * upstream, answering with responses recorded from OpenAI (fixtures/). What it does is chosen by a
 * marker in the last message: {@code #tool}, {@code #nousage}, {@code #429}, {@code #400},
 * {@code #401}, {@code #500}, {@code #slow}, {@code #drop}, {@code #endless}, {@code #garbage};
 * in streams also {@code #error-event} (an error event after two chunks, as OpenAI, vLLM and
 * llama.cpp servers send when generation fails) and {@code #late-choice} (a choice after the
 * finishing chunk, and no usage); {@code #reasoning} adds a reasoning model's thinking, shaped as
 * DeepSeek's API documents it ({@code message.reasoning_content}) in answers and as newer vLLM
 * reasoning parsers send it ({@code delta.reasoning}) in streams; {@code #filtered} adds Azure
 * OpenAI's {@code content_filter_results} to choices (in streams, {@code {}} on the first chunk).
 * It records every request it receives and notices clients that go away before the end of a
 * {@code #endless} stream or a {@code #slow} answer.
 */
public final class FakeUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(String method, String path, String query, MultiMap headers, JsonNode body) {}

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicInteger downloads = new AtomicInteger();
    private final io.vertx.core.Promise<Void> heldFiles = io.vertx.core.Promise.promise();

    public FakeUpstream() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    public void clear() {
        received.clear();
    }

    /** Lets the downloads from {@code /files/held/} finish: until then they get no answer. */
    public void releaseHeldFiles() {
        vertx.runOnContext(v -> heldFiles.tryComplete());
    }

    /** Files served from {@code /files/}. */
    public int downloads() {
        return downloads.get();
    }

    /** Calls ({@code #endless} streams, {@code #slow} answers) whose client closed the connection before the end. */
    public int abandoned() {
        return abandoned.get();
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("GET") && request.path().startsWith("/files/")) {
            // stands in for the public model host: serves the shared model file for the download test
            downloads.incrementAndGet();
            String held = "/files/held/";
            String file = request.path().substring(request.path().startsWith(held) ? held.length() : 7);
            io.vertx.core.Future<Void> when =
                    request.path().startsWith(held) ? heldFiles.future() : io.vertx.core.Future.succeededFuture();
            when.onSuccess(v -> request.response()
                    .sendFile(java.nio.file.Path.of("..", "shared", "models", file)
                            .toString()));
            return;
        }
        request.body().onSuccess(body -> {
            JsonNode json;
            try {
                json = body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
            } catch (IOException e) {
                request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
                return;
            }
            received.add(new Received(
                    request.method().name(),
                    request.path(),
                    request.query(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                    json));
            respond(request, json);
        });
    }

    private void respond(HttpServerRequest request, JsonNode body) {
        HttpServerResponse response = request.response();
        String marker = lastText(body);
        boolean stream = body.path("stream").asBoolean(false);
        switch (marker) {
            case "#429" ->
                response.setStatusCode(429)
                        .putHeader("Retry-After", "7")
                        .putHeader("retry-after-ms", "7000")
                        .putHeader("Content-Type", "application/json")
                        .end(
                                "{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached for requests\"}}");
            case "#400" ->
                response.setStatusCode(400)
                        .putHeader("Content-Type", "application/json")
                        .end(
                                "{\"error\":{\"message\":\"Invalid 'messages[0].content': string too long.\",\"type\":\"invalid_request_error\",\"param\":\"messages[0].content\",\"code\":\"string_above_max_length\"}}");
            case "#filtered-prompt" ->
                // Azure OpenAI refusing a prompt its content filter caught, as its documentation shows
                response.setStatusCode(400)
                        .putHeader("Content-Type", "application/json")
                        .end(
                                "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure"
                                        + " OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":"
                                        + "\"content_filter\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
                                        + "\"content_filter_result\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
                                        + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,"
                                        + "\"severity\":\"safe\"},\"violence\":{\"filtered\":true,\"severity\":\"medium\"}}}}}");
            case "#401" ->
                response.setStatusCode(401)
                        .putHeader("Content-Type", "application/json")
                        .end(
                                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            case "#500" ->
                response.setStatusCode(500)
                        .putHeader("Content-Type", "application/json")
                        .end(
                                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}");
            case "#garbage" ->
                response.setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .end("<html>oops</html>");
            case "#slow" -> {
                long timer = vertx.setTimer(3000, t -> answer(response, stream, "#plain", ""));
                request.connection().closeHandler(v -> {
                    if (!response.ended()) {
                        abandoned.incrementAndGet();
                        vertx.cancelTimer(timer);
                    }
                });
            }
            case "#drop" -> {
                response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                List<String> events = events("openai-stream.txt");
                response.write(events.get(0) + "\n\n");
                response.write(events.get(1) + "\n\n");
                vertx.setTimer(50, t -> request.connection().close());
            }
            case "#error-event" -> {
                response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                List<String> events = events("openai-stream.txt");
                events.set(2, "data: {\"error\":{\"message\":\"The model crashed\",\"type\":\"server_error\"}}");
                send(response, events.subList(0, 3), 0);
            }
            case "#endless" -> endless(request);
            default -> answer(response, stream, marker, body.path("model").asText(""));
        }
    }

    private void answer(HttpServerResponse response, boolean stream, String marker, String model) {
        if (!stream) {
            ObjectNode doc = (ObjectNode)
                    fixtureJson(marker.equals("#tool") ? "openai-tool-call.json" : "openai-chat-completion.json");
            if (marker.equals("#nousage")) {
                doc.remove("usage");
            }
            if (marker.equals("#filtered")) {
                ((ObjectNode) doc.at("/choices/0")).set("content_filter_results", FILTER_RESULTS);
            }
            if (marker.equals("#reasoning")) {
                ((ObjectNode) doc.at("/choices/0/message"))
                        .put("reasoning_content", "The user greets me, so I greet back.");
            }
            if (marker.equals("#echo-model")) {
                // says which model the request was sent to: migration tests tell versions apart by it
                doc.put("model", model);
            }
            response.putHeader("Content-Type", "application/json").end(doc.toString());
            return;
        }
        List<String> events = events(marker.equals("#tool") ? "openai-stream-tool-call.txt" : "openai-stream.txt");
        if (marker.equals("#nousage") || marker.equals("#late-choice")) {
            events.removeIf(e -> e.contains("\"choices\":[]"));
        }
        if (marker.equals("#reasoning")) {
            events.add(
                    1,
                    "data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
                            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
                            + "{\"reasoning\":\"The user greets me.\"},\"finish_reason\":null}]}");
        }
        if (marker.equals("#filtered")) {
            events.set(0, withFilterResults(events.get(0), JSON.createObjectNode()));
            events.set(1, withFilterResults(events.get(1), FILTER_RESULTS));
        }
        if (marker.equals("#late-choice")) {
            events.add(
                    events.size() - 1,
                    "data: {\"id\":\"chatcmpl-123\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":null}]}");
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        send(response, events, 0);
    }

    /** One event every 20 ms, so that tests can see that they are relayed one by one. */
    private void send(HttpServerResponse response, List<String> events, int i) {
        if (i == events.size()) {
            response.end();
            return;
        }
        response.write(events.get(i) + "\n\n");
        vertx.setTimer(20, t -> send(response, events, i + 1));
    }

    private void endless(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        String chunk = events("openai-stream.txt").get(1);
        long[] timer = new long[1];
        int[] sent = new int[1];
        request.connection().closeHandler(v -> {
            if (!response.ended()) {
                abandoned.incrementAndGet();
            }
            vertx.cancelTimer(timer[0]);
        });
        timer[0] = vertx.setPeriodic(50, t -> {
            if (++sent[0] > 200) {
                vertx.cancelTimer(t);
                response.end("data: [DONE]\n\n");
            } else {
                response.write(chunk + "\n\n");
            }
        });
    }

    private static String lastText(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "";
        }
        JsonNode content = messages.get(messages.size() - 1).path("content");
        String text = content.isTextual()
                ? content.asText()
                : content.path(0).path("text").asText("");
        return text.startsWith("#") ? text.split("\\s")[0] : "";
    }

    public static String fixture(String name) {
        try (InputStream in = FakeUpstream.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode fixtureJson(String name) {
        try {
            return JSON.readTree(fixture(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Azure OpenAI's findings for an answer that passed its filter (with a category this service leaves out). */
    private static final ObjectNode FILTER_RESULTS;

    static {
        FILTER_RESULTS = JSON.createObjectNode();
        for (String category : List.of("hate", "self_harm", "sexual", "violence")) {
            FILTER_RESULTS.putObject(category).put("filtered", false).put("severity", "safe");
        }
        FILTER_RESULTS.putObject("jailbreak").put("filtered", false).put("detected", false);
    }

    private static String withFilterResults(String event, JsonNode results) {
        try {
            ObjectNode chunk = (ObjectNode) JSON.readTree(event.substring("data: ".length()));
            ((ObjectNode) chunk.at("/choices/0")).set("content_filter_results", results);
            return "data: " + chunk;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> events(String name) {
        return new ArrayList<>(Arrays.stream(fixture(name).split("\n\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList());
    }

    @Override
    public void close() {
        vertx.close();
    }
}
