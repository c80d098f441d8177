package dev.azinfer.api;

import dev.azinfer.config.ServiceConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls per API key per period (a connector connection is one key). A key's window starts at its
 * first call and lasts the period; the next call after it starts the next one. Windows are not
 * aligned to the clock, so a burst is never split across a minute's boundary into twice the
 * allowance in a second. Keys are held by their digest only. One replica counts for itself; shared
 * limits across replicas are the capacity issue's work.
 */
@ApplicationScoped
@Startup // a bad setting stops the start with its message, not the first request with a 500
public class KeyThrottle {

    private final int calls;
    private final long periodMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public KeyThrottle(ServiceConfig config, Clock clock) {
        this.calls = config.throttle().calls();
        this.periodMillis = config.throttle().period().toMillis();
        if (periodMillis < 1000 || calls < 1) {
            throw new IllegalArgumentException(
                    "azinfer.throttle.period must be at least 1s and azinfer.throttle.calls at least 1, not "
                            + config.throttle().period() + " and " + calls);
        }
        this.clock = clock;
    }

    private static final class Window {
        /** When the window began; none has, so the first call starts one. */
        long start = Long.MIN_VALUE;

        int used;
    }

    /** Counts a call of the key; throws 429 when the key has used up its window. */
    public void admit(String keyDigest) {
        long now = clock.millis();
        Window w = windows.computeIfAbsent(keyDigest, k -> new Window());
        long retryAfterMillis;
        synchronized (w) {
            if (w.start == Long.MIN_VALUE || now - w.start >= periodMillis) {
                w.start = now;
                w.used = 0;
            }
            if (w.used < calls) {
                w.used++;
                return;
            }
            retryAfterMillis = w.start + periodMillis - now;
        }
        throw new ApiException(
                429,
                "too_many_requests",
                "Rate limit of " + calls + " calls per " + (periodMillis / 1000)
                        + " seconds for this key is exceeded. Retry after " + RetryAfter.seconds(retryAfterMillis)
                        + " seconds.",
                null,
                RetryAfter.headers(retryAfterMillis));
    }
}
