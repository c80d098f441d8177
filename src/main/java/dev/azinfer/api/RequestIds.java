package dev.azinfer.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers of requests and responses: unique, not secret. {@link UUID#randomUUID} draws from
 * the secure random source, which cost measurable time on every request for nothing here.
 */
public final class RequestIds {

    private RequestIds() {}

    /** A random (version 4) UUID, as {@code apim-request-id} carries it. */
    public static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /** 32 hex digits, as in OpenAI's {@code chatcmpl-} ids. */
    public static String hex32() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
