package dev.azinfer.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compact encodings count exactly as jtokkit, a port of OpenAI's tiktoken, does: on known
 * texts with their published counts, and on thousands of generated texts that mix scripts,
 * contractions, digits, symbols, emoji, combining marks and every kind of space and line break.
 */
class BpeEncodingTest {

    private static BpeEncoding cl100k;
    private static BpeEncoding o200k;
    private static Encoding referenceCl100k;
    private static Encoding referenceO200k;

    @BeforeAll
    static void load() {
        cl100k = BpeEncoding.cl100k();
        o200k = BpeEncoding.o200k();
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        referenceCl100k = registry.getEncoding(EncodingType.CL100K_BASE);
        referenceO200k = registry.getEncoding(EncodingType.O200K_BASE);
    }

    @Test
    void known_counts() {
        // tiktoken: "hello world" is 2 tokens in both; "tiktoken is great!" is 6 in cl100k
        assertEquals(2, cl100k.count("hello world"));
        assertEquals(2, o200k.count("hello world"));
        assertEquals(6, cl100k.count("tiktoken is great!"));
        assertEquals(0, cl100k.count(""));
    }

    @Test
    void counts_as_the_reference_on_generated_text() {
        for (String text : texts()) {
            assertEquals(referenceCl100k.countTokensOrdinary(text), cl100k.count(text), () -> "cl100k: " + text);
            assertEquals(referenceO200k.countTokensOrdinary(text), o200k.count(text), () -> "o200k: " + text);
        }
    }

    @Test
    void the_hand_written_cl100k_split_finds_the_pattern_s_pieces() {
        Pattern pattern = Pattern.compile(BpeEncoding.CL100K_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
        for (String text : texts()) {
            List<String> expected = new ArrayList<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                expected.add(text.substring(m.start(), m.end()));
            }
            List<String> pieces = new ArrayList<>();
            for (int at = 0; at < text.length(); ) {
                int end = Cl100kSplitter.pieceEnd(text, at);
                pieces.add(text.substring(at, end));
                at = end;
            }
            assertEquals(expected, pieces, () -> "pieces of: " + text);
        }
    }

    private static List<String> texts() {
        Random random = new Random(20261122);
        List<String> texts = new ArrayList<>(List.of(
                "Once upon a time, there was a little girl named Lily.",
                "I'm sure you'll LOVE it; they've said WE'D go.\r\n\r\n  Next   line\t\ttabbed",
                "1234567890 3.14159 1,000,000 +44 (0)20 7946 0958",
                "function f(x) { return x ** 2; } // comment\n\n\n    indented();",
                "日本語のテキストと中文文本，还有한국어 텍스트.",
                "Ünïcödé façade naïve coöperate — “quotes” and ‘single’ … ellipsis",
                "emoji 👩‍👩‍👧‍👦 🇫🇷 👍🏽 ✨✨✨",
                "a\u0301e\u0301 combining; non\u00a0breaking\u2003em\u3000ideographic",
                "https://example.com/path/to/page?query=1&x=y#frag",
                "<|endoftext|> special tokens are ordinary text here",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "    \n\n\t \r\n  ",
                "Привет, как дела? مرحبا بالعالم שלום עולם"));
        String[] atoms = {
            "the", "The", "THE", " ", "  ", "   ", "\n", "\r\n", "\t", "\u00a0", "\u2003", "\u3000", "'s", "'S", "'ll",
            "'LL", "'re", "'d", "'", "\"", "123", "4567", "0", "٣", "Ⅻ", "!", "?!", "...", "--", "/", "//", "{", "}",
            "(", ")", "é", "e\u0301", "ß", "ǅ", "ʰ", "中", "文", "日本", "한", "👍", "👍🏽", "🇫🇷", "\u200d", "Ω", "ω",
            "МОСКВА", "москва", "عربي", "$", "€", "%", "#", "@", "_", "-", "+", "=", "<", ">", "|", "\\", "~", "'ſ",
            "'Ll", "\u212a", "\u0085", "\u2028", "\u000b", "\u001c", "\r", "\u200b", "𝟘𝟙", "¼"
        };
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(atoms[random.nextInt(atoms.length)]);
            }
            texts.add(sb.toString());
        }
        StringBuilder random1 = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            random1.appendCodePoint(random.nextInt(0x3000));
        }
        texts.add(random1.toString());
        // one long piece (no spaces), merged through the heap
        texts.add("x".repeat(5000) + "Supercalifragilisticexpialidocious".repeat(200));
        return texts;
    }
}
