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
        // by hand: String.format took 1.6% of the service's CPU under load
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] digits = new char[32];
        hex(random.nextLong(), digits, 0);
        hex(random.nextLong(), digits, 16);
        return new String(digits);
    }

    private static void hex(long value, char[] into, int from) {
        for (int i = from + 15; i >= from; i--) {
            into[i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
    }
}
