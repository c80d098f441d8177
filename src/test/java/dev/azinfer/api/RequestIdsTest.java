package dev.azinfer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void hex32_is_32_lowercase_hex_digits_and_uses_every_digit() {
        Set<Character> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.hex32();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            id.chars().forEach(c -> seen.add((char) c));
            ids.add(id);
        }
        assertEquals(16, seen.size(), "every hex digit appears, in every position over many ids");
        assertEquals(1000, ids.size());
    }

    @Test
    void uuid_is_a_version_4_variant_2_uuid() {
        UUID id = UUID.fromString(RequestIds.uuid());
        assertEquals(4, id.version());
        assertEquals(2, id.variant());
    }
}
