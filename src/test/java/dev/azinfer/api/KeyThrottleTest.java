package dev.azinfer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.azinfer.config.ServiceConfig;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Calls per key per period, on a clock the test moves. */
class KeyThrottleTest {

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static ServiceConfig config(int calls, Duration period) {
        ServiceConfig.Throttle throttle = (ServiceConfig.Throttle) Proxy.newProxyInstance(
                KeyThrottleTest.class.getClassLoader(),
                new Class<?>[] {ServiceConfig.Throttle.class},
                (p, m, a) -> m.getName().equals("calls") ? calls : period);
        return (ServiceConfig) Proxy.newProxyInstance(
                KeyThrottleTest.class.getClassLoader(), new Class<?>[] {ServiceConfig.class}, (p, m, a) -> throttle);
    }

    @Test
    void a_burst_across_a_minute_boundary_gets_one_allowance_not_two() {
        // a second before the minute turns
        MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:59Z"));
        KeyThrottle throttle = new KeyThrottle(config(3, Duration.ofSeconds(60)), clock);
        for (int i = 0; i < 3; i++) {
            throttle.admit("key");
        }
        clock.now = Instant.parse("2026-11-22T10:01:00.500Z");
        ApiException refused = assertThrows(ApiException.class, () -> throttle.admit("key"));
        assertEquals(429, refused.status());
        // the window began with the first call: 58.5 s left
        assertEquals("59", refused.headers().get("Retry-After"));
        assertEquals("58500", refused.headers().get("retry-after-ms"));
        throttle.admit("other-key");

        clock.now = Instant.parse("2026-11-22T10:01:59Z");
        throttle.admit("key");
    }

    @Test
    void a_period_under_a_second_is_refused_at_start() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new KeyThrottle(config(10, Duration.ofMillis(500)), Clock.systemUTC()));
        assertEquals(true, e.getMessage().contains("azinfer.throttle.period"));
    }
}
