package dev.azinfer.api;

import dev.azinfer.config.ServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls per API key per period (a connector connection is one key), in fixed windows. Keys are
 * held by their digest only. One replica counts for itself; shared limits across replicas are
 * the capacity issue's work.
 */
@ApplicationScoped
public class KeyThrottle {

    private final int calls;
    private final long periodMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public KeyThrottle(ServiceConfig config, Clock clock) {
        this.calls = config.throttle().calls();
        this.periodMillis = config.throttle().period().toMillis();
        this.clock = clock;
    }

    private static final class Window {
        long start;
        int used;
    }

    /** Counts a call of the key; throws 429 when the key has used up its window. */
    public void admit(String keyDigest) {
        long now = clock.millis();
        Window w = windows.computeIfAbsent(keyDigest, k -> new Window());
        long retryAfterMillis;
        synchronized (w) {
            if (now - w.start >= periodMillis) {
                w.start = now - ((now - w.start) % periodMillis);
                w.used = 0;
            }
            if (w.used < calls) {
                w.used++;
                return;
            }
            retryAfterMillis = w.start + periodMillis - now;
        }
        long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
        throw new ApiException(
                429,
                "too_many_requests",
                "Rate limit of " + calls + " calls per " + (periodMillis / 1000)
                        + " seconds for this key is exceeded. Retry after " + seconds + " seconds.",
                null,
                Map.of("Retry-After", Long.toString(seconds), "retry-after-ms", Long.toString(retryAfterMillis)));
    }
}
