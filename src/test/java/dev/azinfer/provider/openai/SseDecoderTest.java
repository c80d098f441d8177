package dev.azinfer.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    private static List<String> feedInPieces(String stream, int pieceSize) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        SseDecoder decoder = new SseDecoder();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + pieceSize));
            events.addAll(decoder.feed(piece));
        }
        events.addAll(decoder.finish());
        return events;
    }

    @Test
    void events_split_anywhere_even_inside_a_utf8_character_come_out_whole() {
        String stream = "data: {\"a\":\"héllo – 世界\"}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
        for (int size = 1; size <= 7; size++) {
            assertEquals(
                    List.of("{\"a\":\"héllo – 世界\"}", "{\"b\":2}", "[DONE]"),
                    feedInPieces(stream, size),
                    "piece size " + size);
        }
    }

    @Test
    void comments_event_id_and_retry_lines_are_dropped_and_crlf_is_accepted() {
        String stream = ": keep-alive\r\nevent: message\r\nid: 7\r\nretry: 100\r\ndata:{\"x\":1}\r\n\r\n";
        assertEquals(List.of("{\"x\":1}"), feedInPieces(stream, 3));
    }

    @Test
    void multi_line_data_is_joined_and_a_last_event_without_blank_line_is_kept() {
        assertEquals(List.of("a\nb", "c"), feedInPieces("data: a\ndata: b\n\ndata: c", 4));
    }
}
