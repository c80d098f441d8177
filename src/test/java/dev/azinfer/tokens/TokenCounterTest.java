package dev.azinfer.tokens;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the encodings load: a request in the first seconds after start does not wait for the schedule. */
class TokenCounterTest {

    @Test
    void a_request_before_the_scheduled_load_starts_it() {
        // scheduled an hour away: only the request itself can make the encoding load in time
        TokenCounter counter = new TokenCounter(Duration.ofHours(1));
        counter.ready("gpt-4o").await().atMost(Duration.ofSeconds(60));
        assertTrue(counter.countText("gpt-4o", "Once upon a time") > 0);
        counter.ready("gpt-35-turbo").await().atMost(Duration.ofSeconds(60));
        assertTrue(counter.countText("gpt-35-turbo", "Once upon a time") > 0);
    }
}
