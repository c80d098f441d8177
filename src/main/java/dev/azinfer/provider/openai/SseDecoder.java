package dev.azinfer.provider.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an upstream server-sent event stream, arriving in arbitrary pieces, into the data of its
 * events. Comments, {@code event:}, {@code id:} and {@code retry:} lines are dropped here, so that
 * none ever reaches a client (the Azure SDK breaks on them). Not thread-safe: one per stream.
 */
final class SseDecoder {

    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private byte[] carry = new byte[0];

    /** Feeds a piece of the stream and returns the data of the events it completed. */
    List<String> feed(byte[] bytes) {
        // keep an incomplete UTF-8 sequence at the end for the next piece
        byte[] all = concat(carry, bytes);
        int complete = completeUtf8Length(all);
        carry = java.util.Arrays.copyOfRange(all, complete, all.length);
        pending.append(new String(all, 0, complete, StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < pending.length(); i++) {
            char c = pending.charAt(i);
            if (c == '\n' || c == '\r') {
                line(pending.substring(start, i), events);
                if (c == '\r' && i + 1 < pending.length() && pending.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        pending.delete(0, start);
        return events;
    }

    /** The data of a last event not followed by a blank line, if the stream ended that way. */
    List<String> finish() {
        List<String> events = new ArrayList<>();
        if (!pending.isEmpty()) {
            line(pending.toString(), events);
            pending.setLength(0);
        }
        line("", events);
        return events;
    }

    private void line(String line, List<String> events) {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                events.add(data.toString());
                data.setLength(0);
            }
            return;
        }
        if (line.startsWith("data:")) {
            String value = line.substring(5);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (!data.isEmpty()) {
                data.append('\n');
            }
            data.append(value);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int completeUtf8Length(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
