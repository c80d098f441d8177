package dev.azinfer.metering;

import java.math.BigDecimal;
import java.time.Instant;

/** One inference request in the usage ledger. */
public record UsageRecord(
        String requestId,
        Instant at,
        String keyId,
        String deployment,
        String model,
        String modelVersion,
        long promptTokens,
        long completionTokens,
        BigDecimal cost,
        int status,
        String outcome) {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String ABANDONED = "abandoned";

    /** The status recorded for a request whose client left before its answer (nginx's code); not a service error. */
    public static final int CLIENT_CLOSED = 499;
}
