package dev.azinfer.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per deployment over the last hour, by minute, and the time of the last one: what an
 * operator reads to confirm a deployment has been drained before deleting it. Counted twice over:
 * the requests a deployment served, and the requests that named it (served by it, or routed to
 * another deployment). While clients still name a deployment, deleting it fails them with 404,
 * however much of its traffic goes elsewhere.
 */
@ApplicationScoped
public class RequestCounts {

    static final int MINUTES = 60;

    /** Requests served in a window, and the last one's time (empty when none since start). */
    public record Window(Duration length, long requests, Optional<Instant> lastRequestAt) {}

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> named = new ConcurrentHashMap<>();
    private final Clock clock;

    public RequestCounts(Clock clock) {
        this.clock = clock;
    }

    void record(String namedKey, String servedKey) {
        long now = clock.millis();
        counters.computeIfAbsent(servedKey, k -> new Counter()).add(now);
        named.computeIfAbsent(namedKey, k -> new Counter()).add(now);
    }

    /** The requests served by a deployment over the last {@code minutes} (1 to 60) whole or partial minutes. */
    public Window window(String deploymentKey, int minutes) {
        return window(counters, deploymentKey, minutes);
    }

    /** The requests that named a deployment over the last {@code minutes}, wherever they were served. */
    public Window namedWindow(String deploymentKey, int minutes) {
        return window(named, deploymentKey, minutes);
    }

    void forget(String deploymentKey) {
        counters.remove(deploymentKey);
        named.remove(deploymentKey);
    }

    private Window window(Map<String, Counter> of, String deploymentKey, int minutes) {
        Counter c = of.get(deploymentKey);
        Duration length = Duration.ofMinutes(minutes);
        return c == null ? new Window(length, 0, Optional.empty()) : c.window(clock.millis(), minutes, length);
    }

    private static final class Counter {
        private final long[] minuteOf = new long[MINUTES];
        private final long[] count = new long[MINUTES];
        private long last = -1;

        synchronized void add(long nowMillis) {
            long minute = nowMillis / 60_000;
            int i = (int) (minute % MINUTES);
            if (minuteOf[i] != minute) {
                minuteOf[i] = minute;
                count[i] = 0;
            }
            count[i]++;
            last = Math.max(last, nowMillis);
        }

        synchronized Window window(long nowMillis, int minutes, Duration length) {
            long current = nowMillis / 60_000;
            long total = 0;
            for (int i = 0; i < MINUTES; i++) {
                if (minuteOf[i] > current - minutes && minuteOf[i] <= current) {
                    total += count[i];
                }
            }
            return new Window(length, total, last < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last)));
        }
    }
}
