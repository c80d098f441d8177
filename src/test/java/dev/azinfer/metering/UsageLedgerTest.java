package dev.azinfer.metering;

import static dev.azinfer.support.Admin.admin;
import static dev.azinfer.support.Admin.body;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.Admin;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.Sse;
import dev.azinfer.support.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The usage ledger, prices, the spending limit, the metrics and health, through real requests. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class UsageLedgerTest {

    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.0025");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.01");

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAndNoLimit() {
        clock.reset();
        admin().contentType(ContentType.JSON)
                .body("{\"limit\":null}")
                .put("/spending-limit")
                .then()
                .statusCode(200);
    }

    private static Response chat(String deployment, String content, boolean stream) {
        // streams are not in the official contract's responses: not validated against it
        return (stream ? Api.keyed().contentType(ContentType.JSON) : Api.azure().contentType(ContentType.JSON))
                .body("{\"model\":\"" + deployment + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
                .post("/chat/completions");
    }

    @Test
    void ledger_totals_equal_the_usage_returned_over_plain_streaming_failed_and_abandoned_requests() throws Exception {
        clock.set(Instant.parse("2031-05-10T10:00:00Z"));
        Admin.create("ledger-mix", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        long prompt = 0;
        long completion = 0;
        for (int i = 0; i < 5; i++) {
            JsonPath usage = chat("ledger-mix", "hello " + i, false)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            prompt += usage.getLong("usage.prompt_tokens");
            completion += usage.getLong("usage.completion_tokens");
        }
        for (int i = 0; i < 3; i++) {
            var usage = Sse.lastUsage(chat("ledger-mix", "hi", true)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            prompt += usage.path("prompt_tokens").asLong();
            completion += usage.path("completion_tokens").asLong();
        }
        chat("ledger-mix", "#500", false).then().statusCode(502);
        chat("ledger-mix", "#500", true).then().statusCode(502);
        abandonEndlessStream("ledger-mix");

        JsonPath report = awaitOutcome("2031-05-10", "abandoned");
        Map<String, Object> completed = row(report, "completed");
        assertEquals(8, ((Number) completed.get("requests")).intValue());
        assertEquals(prompt, ((Number) completed.get("promptTokens")).longValue());
        assertEquals(completion, ((Number) completed.get("completionTokens")).longValue());
        BigDecimal cost = INPUT_PER_1K
                .multiply(BigDecimal.valueOf(prompt))
                .add(OUTPUT_PER_1K.multiply(BigDecimal.valueOf(completion)))
                .divide(BigDecimal.valueOf(1000));
        assertEquals(0, cost.compareTo(new BigDecimal((String) completed.get("cost"))), "cost " + completed);
        Map<String, Object> failed = row(report, "failed");
        assertEquals(2, ((Number) failed.get("requests")).intValue());
        assertEquals(0L, ((Number) failed.get("completionTokens")).longValue());
        Map<String, Object> abandoned = row(report, "abandoned");
        assertEquals(1, ((Number) abandoned.get("requests")).intValue());
        assertTrue(
                ((Number) abandoned.get("completionTokens")).longValue() > 0, "tokens streamed before the client left");

        admin().queryParam("from", "2031-05-10")
                .queryParam("to", "2031-05-11")
                .queryParam("groupBy", "day,deployment,outcome")
                .queryParam("format", "csv")
                .get("/usage")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .body(containsString("day,deployment,outcome,requests,promptTokens,completionTokens,cost\r\n"))
                .body(containsString("2031-05-10,ledger-mix,completed,8," + prompt + "," + completion + ","));
    }

    private static Map<String, Object> row(JsonPath report, String outcome) {
        return row(report, outcome, "ledger-mix");
    }

    private static Map<String, Object> row(JsonPath report, String outcome, String deployment) {
        return report.getMap("value.find { it.deployment == '" + deployment + "' && it.outcome == '" + outcome + "' }");
    }

    private static JsonPath awaitOutcome(String day, String outcome) throws InterruptedException {
        return awaitOutcome(day, outcome, "ledger-mix");
    }

    private static JsonPath awaitOutcome(String day, String outcome, String deployment) throws InterruptedException {
        JsonPath report = null;
        for (int i = 0; i < 100; i++) {
            report = admin().queryParam("from", day)
                    .queryParam("to", java.time.LocalDate.parse(day).plusDays(1).toString())
                    .queryParam("groupBy", "deployment,outcome")
                    .get("/usage")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (row(report, outcome, deployment) != null) {
                return report;
            }
            Thread.sleep(100);
        }
        return report;
    }

    @Test
    void a_stream_the_client_leaves_before_the_upstream_answers_is_recorded_as_abandoned() throws Exception {
        clock.set(Instant.parse("2031-06-20T10:00:00Z"));
        Admin.create("ledger-early", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        // the upstream takes 3 s to answer (#slow); the client gives up after half a second
        HttpRequest request = HttpRequest.newBuilder(
                        Api.rawChat(
                                "{\"model\":\"ledger-early\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#slow\"}]}"),
                        (name, value) -> true)
                .timeout(java.time.Duration.ofMillis(500))
                .build();
        try {
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            org.junit.jupiter.api.Assertions.fail("the upstream answers after 3 s");
        } catch (java.net.http.HttpTimeoutException expected) {
            // gone
        }
        JsonPath report = awaitOutcome("2031-06-20", "abandoned", "ledger-early");
        Map<String, Object> abandoned = row(report, "abandoned", "ledger-early");
        assertTrue(abandoned != null, "the abandoned stream is in the ledger: " + report.prettify());
        assertEquals(1, ((Number) abandoned.get("requests")).intValue());
        assertTrue(((Number) abandoned.get("promptTokens")).longValue() > 0, "its prompt is counted");
        assertEquals(0L, ((Number) abandoned.get("completionTokens")).longValue());
    }

    /** Reads the first event of a stream that never ends, then hangs up, as a client that gives up does. */
    private static void abandonEndlessStream(String deployment) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = Api.rawChat("{\"model\":\"" + deployment
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"#endless\"}]}");
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = new byte[64];
            assertTrue(body.read(first) > 0);
        }
    }

    @Test
    void spending_limit_stops_inference_until_the_next_cycle() {
        clock.set(Instant.parse("2031-07-15T12:00:00Z"));
        Admin.create("spend-dep", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        admin().contentType(ContentType.JSON)
                .body("{\"limit\":0.00001}")
                .put("/spending-limit")
                .then()
                .statusCode(200)
                .body("limit", equalTo("0.00001"))
                .body("reached", equalTo(false));
        chat("spend-dep", "hi", false).then().statusCode(200);
        chat("spend-dep", "hi", false)
                .then()
                .statusCode(429)
                .header("x-ms-error-code", "spending_limit_reached")
                // capacity 1000, one request admitted in this window; the refused one counts nothing
                .header("x-ratelimit-remaining-requests", "999")
                // until the cycle ends, 16.5 days after the test clock's instant
                .header("Retry-After", "1425600")
                .header("retry-after-ms", "1425600000")
                .body("error.message", containsString("spending limit of 0.00001 USD"))
                .body("error.message", containsString("next cycle starts at 2031-08-01T00:00:00Z"));
        assertEquals(1, metric("azinfer_requests_total", "spend-dep", "status=\"429\""), "the refusal is counted");
        admin().get("/spending-limit")
                .then()
                .statusCode(200)
                .body("reached", equalTo(true))
                .body("cycleStart", equalTo("2031-07-01T00:00:00Z"))
                .body("cycleEnd", equalTo("2031-08-01T00:00:00Z"))
                .body("currency", equalTo("USD"));
        // the operator raises the limit: inference goes on in the cycle that had reached it
        admin().contentType(ContentType.JSON)
                .body("{\"limit\":100}")
                .put("/spending-limit")
                .then()
                .statusCode(200);
        chat("spend-dep", "hi", false).then().statusCode(200);
        admin().contentType(ContentType.JSON)
                .body("{\"limit\":0.00001}")
                .put("/spending-limit")
                .then()
                .statusCode(200);
        chat("spend-dep", "hi", false).then().statusCode(429);
        // the next cycle admits again
        clock.set(Instant.parse("2031-08-01T00:00:01Z"));
        chat("spend-dep", "hi", false).then().statusCode(200);
        admin().get("/spending-limit").then().body("cycleStart", equalTo("2031-08-01T00:00:00Z"));
    }

    @Test
    void bad_usage_queries_and_limits_are_400() {
        admin().queryParam("groupBy", "colour")
                .get("/usage")
                .then()
                .statusCode(400)
                .body("error.target", equalTo("groupBy"));
        admin().queryParam("from", "yesterday").get("/usage").then().statusCode(400);
        // negative, not a number, not finite, wider than the ledger's NUMERIC(24, 6), finer than it
        for (String limit : List.of("-1", "\"ten\"", "1e400", "1e20", "0.0000001")) {
            admin().contentType(ContentType.JSON)
                    .body("{\"limit\":" + limit + "}")
                    .put("/spending-limit")
                    .then()
                    .statusCode(400)
                    .body("error.target", equalTo("limit"));
        }
        given().header("api-key", Api.KEY)
                .queryParam("api-version", Admin.VERSION)
                .get("/usage")
                .then()
                .statusCode(403);
    }

    @Test
    void metrics_count_requests_tokens_and_errors_per_deployment_and_status() {
        Admin.create("metrics-dep", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        double before = metric("azinfer_requests_total", "metrics-dep", "status=\"200\"");
        double tokensBefore = metric("azinfer_tokens_total", "metrics-dep", "type=\"completion\"");
        for (int i = 0; i < 3; i++) {
            chat("metrics-dep", "hi", false).then().statusCode(200);
        }
        chat("metrics-dep", "#500", false).then().statusCode(502);
        assertEquals(before + 3, metric("azinfer_requests_total", "metrics-dep", "status=\"200\""));
        assertEquals(1, metric("azinfer_requests_total", "metrics-dep", "status=\"502\""));
        assertEquals(1, metric("azinfer_errors_total", "metrics-dep", "status=\"502\""));
        assertEquals(tokensBefore + 30, metric("azinfer_tokens_total", "metrics-dep", "type=\"completion\""));
        assertTrue(metric("azinfer_request_duration_seconds_count", "metrics-dep", "") >= 4);
        // refused before admission: a parameter the deployment's model does not take
        double refusedBefore = metric("azinfer_requests_total", "no-tools", "status=\"422\"");
        Api.azure()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"no-tools\",\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(422);
        assertEquals(refusedBefore + 1, metric("azinfer_requests_total", "no-tools", "status=\"422\""));
    }

    @Test
    void a_deleted_deployments_metrics_go_with_it() {
        Admin.create("metrics-gone", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        chat("metrics-gone", "hi", false).then().statusCode(200);
        chat("metrics-gone", "#500", false).then().statusCode(502);
        assertEquals(1, metric("azinfer_requests_total", "metrics-gone", "status=\"502\""));
        admin().delete("/deployments/metrics-gone").then().statusCode(anyOf(equalTo(200), equalTo(204)));
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(text.lines().noneMatch(l -> l.contains("deployment=\"metrics-gone\"")), () -> text.lines()
                .filter(l -> l.contains("metrics-gone"))
                .toList()
                .toString());
        // made again, it counts from the start: its meters, and its limits (capacity 1: one request per 10 s)
        Admin.create("metrics-gone", body("Standard", 1, "OpenAI", "gpt-4o", null, null));
        chat("metrics-gone", "hi", false).then().statusCode(200);
        admin().delete("/deployments/metrics-gone").then().statusCode(anyOf(equalTo(200), equalTo(204)));
        Admin.create("metrics-gone", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        chat("metrics-gone", "hi", false).then().statusCode(200);
        assertEquals(1, metric("azinfer_requests_total", "metrics-gone", "status=\"200\""));
        assertEquals(0, metric("azinfer_requests_total", "metrics-gone", "status=\"502\""));
    }

    @Test
    void a_request_that_ends_after_its_deployment_was_deleted_brings_no_meters_back() throws Exception {
        Admin.create("metrics-late", body("Standard", 1000, "OpenAI", "gpt-4o", null, null));
        // the upstream answers after 3 s; the deployment is deleted meanwhile
        var late = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> chat("metrics-late", "#slow", false).statusCode());
        Thread.sleep(800);
        admin().delete("/deployments/metrics-late").then().statusCode(anyOf(equalTo(200), equalTo(204)));
        assertEquals(200, late.get(30, java.util.concurrent.TimeUnit.SECONDS));
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(text.lines().noneMatch(l -> l.contains("deployment=\"metrics-late\"")), () -> text.lines()
                .filter(l -> l.contains("metrics-late"))
                .toList()
                .toString());
    }

    @Test
    void health_and_readiness_include_the_store() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("atabase")));
    }

    private static double metric(String name, String deployment, String label) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m =
                Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(text);
        while (m.find()) {
            if (m.group(1).contains("deployment=\"" + deployment + "\"")
                    && m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
