package dev.azinfer.metering;

import io.smallrye.mutiny.Uni;

/**
 * The counters behind the per-deployment limits: requests per 10-second window and tokens per
 * 60-second window. In memory for one replica; in Redis when replicas must share them, so that N
 * replicas together admit no more than the limit.
 */
public interface LimitCounters {

    /** Which window a count belongs to: the deployment, and the window starts (epoch seconds / length). */
    record Windows(String deployment, long requestWindow, long tokenWindow) {}

    /** The counts after an admission attempt; {@code admitted} false means nothing was counted. */
    record Counts(boolean admitted, long requests, long tokens) {}

    /**
     * Counts one request and {@code tokens} estimated tokens if both stay within the limits, atomically
     * across everything that shares the counters.
     */
    Uni<Counts> admit(Windows w, long requestLimit, long tokenLimit, long tokens);

    /** Whether counting takes a round trip (Redis), during which the client may leave. */
    default boolean remote() {
        return false;
    }

    /** The current counts, counting nothing (for the headers of a request refused before admission). */
    Uni<Counts> peek(Windows w);

    /** Corrects the token count of an admitted request once its real usage is known (delta may be negative). */
    Uni<Void> adjustTokens(Windows w, long delta);

    /** Drops what is held in memory for a deployment no longer served; counters that expire on their own keep nothing. */
    default void forget(String deployment) {}
}
