package dev.azinfer.tokens;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of OpenAI's byte-pair encodings (tiktoken's algorithm), counting tokens only: the text is
 * split by the encoding's pattern, and each piece's UTF-8 bytes are merged pair by pair, lowest
 * rank first, until no adjacent pair is a token. The ranks are the {@code .tiktoken} files that
 * ship in jtokkit's jar.
 *
 * <p>The table is built for memory: every token's bytes in one array and an open-addressing hash
 * table of indexes, about 20 bytes a token. jtokkit's maps of boxed keys took about 300 bytes a
 * token, some 95 MB of heap for the two encodings, which was most of the service's idle memory.
 */
final class BpeEncoding {

    /** GPT-4 and GPT-3.5's encoding; {@link Cl100kSplitter} splits by it (BpeEncodingTest compares the two). */
    static final String CL100K_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** GPT-4o's (and later models') encoding. */
    static final String O200K_PATTERN = String.join(
            "|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
                    + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
                    + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");

    /** Pieces longer than this merge through a heap; shorter ones by scanning, which is faster there. */
    private static final int SCAN_LIMIT = 64;

    private static final int NONE = Integer.MAX_VALUE;

    /**
     * What splits text into pieces; none for cl100k, which {@link Cl100kSplitter} splits into the
     * same pieces as its pattern, faster.
     */
    private final Pattern pattern;
    /** Every token's bytes, one after another, in the file's order. */
    private final byte[] bytes;
    /** Where token {@code i}'s bytes start; {@code starts[i + 1]} is where they end. */
    private final int[] starts;

    private final int[] ranks;
    /** Token index + 1 by hash of its bytes; 0 is an empty slot. */
    private final int[] slots;

    private BpeEncoding(Pattern pattern, byte[] bytes, int[] starts, int[] ranks, int count) {
        this.pattern = pattern;
        this.bytes = bytes;
        this.starts = starts;
        this.ranks = ranks;
        this.slots = new int[Integer.highestOneBit(Math.max(count, 1) * 2) * 2];
        int mask = slots.length - 1;
        for (int i = 0; i < count; i++) {
            int slot = hash(bytes, starts[i], starts[i + 1]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    static BpeEncoding cl100k() {
        return load("/com/knuddels/jtokkit/cl100k_base.tiktoken", null);
    }

    static BpeEncoding o200k() {
        return load(
                "/com/knuddels/jtokkit/o200k_base.tiktoken",
                Pattern.compile(O200K_PATTERN, Pattern.UNICODE_CHARACTER_CLASS));
    }

    /**
     * Reads a {@code .tiktoken} file: a line per token, its bytes in base64 and its rank. The file
     * is read whole and decoded in place, so loading makes almost no garbage (a short-lived line
     * per token made the heap grow by a hundred megabytes that it kept). The text is split by the
     * pattern, or by {@link Cl100kSplitter} where it is null.
     */
    static BpeEncoding load(String resource, Pattern pattern) {
        byte[] file;
        try (InputStream in = BpeEncoding.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The token ranks " + resource + " are not on the class path");
            }
            file = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The token ranks " + resource + " cannot be read", e);
        }
        int lines = 0;
        for (byte b : file) {
            if (b == '\n') {
                lines++;
            }
        }
        lines++;
        // decoded bytes are shorter than their base64: they fit in the file's own size
        byte[] all = new byte[file.length];
        int length = 0;
        int[] starts = new int[lines + 1];
        int[] ranks = new int[lines];
        int count = 0;
        int at = 0;
        while (at < file.length) {
            int space = at;
            while (space < file.length && file[space] != ' ' && file[space] != '\n') {
                space++;
            }
            int end = space;
            while (end < file.length && file[end] != '\n') {
                end++;
            }
            if (space < end) {
                starts[count] = length;
                length = decodeBase64(file, at, space, all, length, resource);
                ranks[count] = parseRank(file, space + 1, end, resource);
                count++;
            }
            at = end + 1;
        }
        starts[count] = length;
        return new BpeEncoding(
                pattern,
                Arrays.copyOf(all, length),
                Arrays.copyOf(starts, count + 1),
                Arrays.copyOf(ranks, count),
                count);
    }

    /** Decodes {@code in[from, to)} into {@code out} at {@code at}; answers where the decoded bytes end. */
    private static int decodeBase64(byte[] in, int from, int to, byte[] out, int at, String resource) {
        int bits = 0;
        int buffered = 0;
        for (int i = from; i < to && in[i] != '='; i++) {
            int value = BASE64[in[i] & 0xff];
            if (value < 0) {
                throw new IllegalStateException("The token ranks " + resource + " have bad base64 at byte " + i);
            }
            bits = bits << 6 | value;
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                out[at++] = (byte) (bits >> buffered);
            }
        }
        return at;
    }

    private static final int[] BASE64 = new int[256];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
    }

    private static int parseRank(byte[] file, int from, int to, String resource) {
        int rank = 0;
        for (int i = from; i < to; i++) {
            int digit = file[i] - '0';
            if (digit < 0 || digit > 9) {
                if (file[i] == '\r') {
                    break;
                }
                throw new IllegalStateException("The token ranks " + resource + " have a bad line at byte " + from);
            }
            rank = rank * 10 + digit;
        }
        return rank;
    }

    /** How many tokens the text encodes to, special tokens' text counted as ordinary text. */
    int count(String text) {
        int tokens = 0;
        Utf8 piece = new Utf8();
        if (pattern == null) {
            for (int at = 0, n = text.length(); at < n; ) {
                int end = Cl100kSplitter.pieceEnd(text, at);
                piece.encode(text, at, end);
                tokens += count(piece.bytes, piece.length);
                at = end;
            }
            return tokens;
        }
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            piece.encode(text, m.start(), m.end());
            tokens += count(piece.bytes, piece.length);
        }
        return tokens;
    }

    /** A piece's UTF-8 bytes, in a buffer reused from piece to piece of one text. */
    private static final class Utf8 {
        byte[] bytes = new byte[64];
        int length;

        void encode(String s, int from, int to) {
            if (bytes.length < (to - from) * 3) {
                bytes = new byte[(to - from) * 3];
            }
            int at = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    bytes[at++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[at++] = (byte) (0xc0 | c >> 6);
                    bytes[at++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    bytes[at++] = (byte) (0xf0 | cp >> 18);
                    bytes[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    bytes[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    bytes[at++] = (byte) (0x80 | cp & 0x3f);
                } else if (Character.isSurrogate(c)) {
                    // a lone surrogate is not text: counted as String.getBytes would, as '?'
                    bytes[at++] = '?';
                } else {
                    bytes[at++] = (byte) (0xe0 | c >> 12);
                    bytes[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                    bytes[at++] = (byte) (0x80 | c & 0x3f);
                }
            }
            length = at;
        }
    }

    private int count(byte[] piece, int length) {
        if (rank(piece, 0, length) != NONE) {
            return 1;
        }
        return length <= SCAN_LIMIT ? mergeByScanning(piece, length) : mergeWithHeap(piece, length);
    }

    /** The rank of {@code piece[from, to)}, or {@link #NONE} if it is not a token. */
    private int rank(byte[] piece, int from, int to) {
        int mask = slots.length - 1;
        int slot = hash(piece, from, to) & mask;
        int length = to - from;
        for (int entry = slots[slot]; entry != 0; entry = slots[slot = (slot + 1) & mask]) {
            int start = starts[entry - 1];
            if (starts[entry] - start == length && Arrays.equals(bytes, start, start + length, piece, from, to)) {
                return ranks[entry - 1];
            }
        }
        return NONE;
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /**
     * tiktoken's merge: {@code parts} holds where each current part starts; the adjacent pair with
     * the lowest rank (the leftmost of equals) merges until none is a token.
     */
    private int mergeByScanning(byte[] piece, int n) {
        int[] parts = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            parts[i] = i;
        }
        int size = n + 1;
        // pairRank[i]: the rank of parts i and i + 1 joined
        int[] pairRank = new int[n + 1];
        for (int i = 0; i + 2 < size; i++) {
            pairRank[i] = rank(piece, parts[i], parts[i + 2]);
        }
        pairRank[size - 2] = NONE;
        while (size > 2) {
            int best = NONE;
            int at = -1;
            for (int i = 0; i + 2 < size; i++) {
                if (pairRank[i] < best) {
                    best = pairRank[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            System.arraycopy(parts, at + 2, parts, at + 1, size - at - 2);
            System.arraycopy(pairRank, at + 2, pairRank, at + 1, size - at - 2);
            size--;
            pairRank[at] = at + 2 < size ? rank(piece, parts[at], parts[at + 2]) : NONE;
            if (at > 0) {
                pairRank[at - 1] = rank(piece, parts[at - 1], parts[at + 1]);
            }
        }
        return size - 1;
    }

    /**
     * The same merge for long pieces (a long word or a run of symbols), in n log n: the parts are a
     * linked list and their pairs wait in a heap by rank, then position; a pair whose parts changed
     * since it was queued is skipped.
     */
    private int mergeWithHeap(byte[] piece, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] version = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1; // n: the end
            prev[i] = i - 1;
        }
        // entries: rank << 32 | start, with the start's version alongside
        PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i + 1 < n; i++) {
            queue(heap, piece, n, i, next, version);
        }
        int parts = n;
        while (!heap.isEmpty()) {
            long[] top = heap.poll();
            int start = (int) top[0];
            if (version[start] != top[1]) {
                continue;
            }
            int gone = next[start];
            next[start] = next[gone];
            if (next[gone] < n) {
                prev[next[gone]] = start;
            }
            version[gone] = -1;
            parts--;
            version[start]++;
            queue(heap, piece, n, start, next, version);
            if (prev[start] >= 0) {
                version[prev[start]]++;
                queue(heap, piece, n, prev[start], next, version);
            }
        }
        return parts;
    }

    private void queue(PriorityQueue<long[]> heap, byte[] piece, int n, int start, int[] next, int[] version) {
        int second = next[start];
        if (second >= n) {
            return;
        }
        int r = rank(piece, start, next[second]);
        if (r != NONE) {
            heap.add(new long[] {(long) r << 32 | start, version[start]});
        }
    }
}
