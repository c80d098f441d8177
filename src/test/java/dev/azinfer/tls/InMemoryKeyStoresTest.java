package dev.azinfer.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryKeyStoresTest {

    private final String before = System.getProperty(InMemoryKeyStores.ITERATIONS);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(InMemoryKeyStores.ITERATIONS);
        } else {
            System.setProperty(InMemoryKeyStores.ITERATIONS, before);
        }
    }

    @Test
    void one_round_unless_the_operator_chose_a_count() {
        System.clearProperty(InMemoryKeyStores.ITERATIONS);
        InMemoryKeyStores.protectWithOneRound();
        assertEquals("1", System.getProperty(InMemoryKeyStores.ITERATIONS));

        System.setProperty(InMemoryKeyStores.ITERATIONS, "5000");
        InMemoryKeyStores.protectWithOneRound();
        assertEquals("5000", System.getProperty(InMemoryKeyStores.ITERATIONS));
    }

    @Test
    void a_key_stored_in_memory_with_one_round_comes_back_whole() throws Exception {
        System.clearProperty(InMemoryKeyStores.ITERATIONS);
        InMemoryKeyStores.protectWithOneRound();
        KeyPair pair = SelfSignedCertificate.newKeyPair();
        Certificate certificate = SelfSignedCertificate.certificate(pair, ZonedDateTime.now(ZoneOffset.UTC));
        // what Vert.x does with a PEM pair
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("pair", pair.getPrivate(), "p".toCharArray(), new Certificate[] {certificate});
        assertEquals(pair.getPrivate(), store.getKey("pair", "p".toCharArray()));
        assertEquals(certificate, store.getCertificate("pair"));
    }
}
