package dev.azinfer.metering;

import static dev.azinfer.support.Admin.body;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.Admin;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.Sse;
import dev.azinfer.support.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each deployment held to its capacity: capacity requests per 10 s and capacity × 1,000 tokens per
 * 60 s, estimated before the call and corrected after it. The test clock holds time still inside
 * one window and then moves it to the next.
 */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class DeploymentLimitsTest {

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static Response chat(String deployment, int maxTokens, String content) {
        return Api.chat("{\"model\":\"" + deployment + "\",\"max_tokens\":" + maxTokens
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
                .post("/chat/completions");
    }

    private static long remainingTokens(Response r) {
        return Long.parseLong(r.header("x-ratelimit-remaining-tokens"));
    }

    @Test
    void requests_past_the_10_second_limit_are_429_until_the_next_window() {
        clock.set(Instant.parse("2031-01-01T00:00:00.000Z"));
        Admin.create("limit-requests", body("Standard", 2, "OpenAI", "gpt-4o", null, null));
        chat("limit-requests", 5, "hi").then().statusCode(200).header("x-ratelimit-remaining-requests", "1");
        chat("limit-requests", 5, "hi").then().statusCode(200).header("x-ratelimit-remaining-requests", "0");
        clock.set(Instant.parse("2031-01-01T00:00:07.500Z"));
        chat("limit-requests", 5, "hi")
                .then()
                .statusCode(429)
                .header("x-ms-error-code", "requests_rate_limit_exceeded")
                .header("Retry-After", "3")
                .header("retry-after-ms", "2500")
                .header("x-ratelimit-remaining-requests", "0")
                .body("error.message", containsString("limit of 2 requests per 10 seconds"))
                .body("error.message", containsString("Retry after 3 seconds"));
        // the next window
        clock.set(Instant.parse("2031-01-01T00:00:10.000Z"));
        chat("limit-requests", 5, "hi").then().statusCode(200).header("x-ratelimit-remaining-requests", "1");
    }

    @Test
    void tokens_are_estimated_then_corrected_with_the_real_usage() {
        clock.set(Instant.parse("2031-01-02T00:00:00Z"));
        Admin.create("limit-tokens", body("Standard", 3, "OpenAI", "gpt-4o", null, null));
        // estimated at the prompt plus 2,000: more than a third of the 3,000 tokens per minute
        Response first = chat("limit-tokens", 2000, "hi");
        first.then().statusCode(200);
        int used = first.jsonPath().getInt("usage.total_tokens");
        // corrected to the real usage, so a second large request fits
        Response second = chat("limit-tokens", 2000, "hi");
        second.then().statusCode(200);
        long estimate = 3000 - used - remainingTokens(second);
        assertTrue(estimate > 2000 && estimate < 2100, "estimate " + estimate);
        // a third no longer fits the tokens of this minute, though requests remain in a new 10 s window
        clock.set(Instant.parse("2031-01-02T00:00:20Z"));
        chat("limit-tokens", 2990, "hi")
                .then()
                .statusCode(429)
                .header("x-ms-error-code", "tokens_rate_limit_exceeded")
                .header("Retry-After", "40")
                .body("error.message", containsString("3000 tokens per 60 seconds"));
        clock.set(Instant.parse("2031-01-02T00:01:00Z"));
        chat("limit-tokens", 2990, "hi").then().statusCode(200);
    }

    @Test
    void a_stream_that_uses_more_than_its_estimate_is_counted_at_its_real_usage() {
        clock.set(Instant.parse("2031-01-03T00:00:00Z"));
        Admin.create("limit-stream", body("Standard", 50, "OpenAI", "gpt-4o", null, null));
        Response before = chat("limit-stream", 1, "hi");
        before.then().statusCode(200);
        Response stream = Api.keyed()
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"model\":\"limit-stream\",\"max_tokens\":1,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/chat/completions");
        stream.then().statusCode(200).header("x-ratelimit-remaining-tokens", notNullValue());
        int streamed = Sse.lastUsage(stream.asString()).path("total_tokens").asInt();
        Response after = chat("limit-stream", 1, "hi");
        after.then().statusCode(200);
        // the two plain requests have the same estimate: what lies between their headers is what the stream used
        // (12 tokens, though it was estimated at its prompt plus max_tokens 1) and what the first request used
        int firstUsed = before.jsonPath().getInt("usage.total_tokens");
        assertEquals(firstUsed + streamed, remainingTokens(before) - remainingTokens(after));
        assertEquals(12, streamed);
    }

    @Test
    void every_inference_answer_carries_the_remaining_limits() {
        Api.chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .header("x-ratelimit-remaining-requests", notNullValue())
                .header("x-ratelimit-remaining-tokens", notNullValue());
        Api.chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"#500\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(502)
                .header("x-ratelimit-remaining-requests", notNullValue())
                .body("error.code", notNullValue());
        Api.chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/chat/completions")
                .then()
                .body("object", equalTo("chat.completion"));
    }
}
