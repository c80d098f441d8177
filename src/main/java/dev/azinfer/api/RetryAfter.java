package dev.azinfer.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wait a 429 asks for, as clients read it: {@code Retry-After} in whole seconds, rounded up and
 * at least 1 (Power Automate and the Azure SDKs read this one), and {@code retry-after-ms} exactly.
 */
public final class RetryAfter {

    private RetryAfter() {}

    /** Whole seconds, rounded up, at least 1. */
    public static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** {@code Retry-After} and {@code retry-after-ms} for a wait of {@code millis}. */
    public static Map<String, String> headers(long millis) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(seconds(millis)));
        headers.put("retry-after-ms", Long.toString(millis));
        return headers;
    }
}
