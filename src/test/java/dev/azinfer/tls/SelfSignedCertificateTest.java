package dev.azinfer.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path folder;

    @Test
    void makes_a_localhost_certificate_and_an_owner_only_key_that_belong_together() throws Exception {
        SelfSignedCertificate.ensure(folder);

        X509Certificate certificate = readCertificate();
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey());
        assertEquals(3, certificate.getVersion());
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        assertTrue(certificate.getCriticalExtensionOIDs().contains("2.5.29.19"));
        assertEquals(
                "CN=localhost,O=azinfer self-signed",
                certificate.getSubjectX500Principal().getName());
        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(n -> n.get(0) + ":" + n.get(1))
                .collect(Collectors.toSet());
        assertEquals(Set.of("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1"), names);

        PrivateKey key = readKey();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the key is the certificate's");
        assertEquals(
                PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(folder.resolve(SelfSignedCertificate.KEY)));
    }

    @Test
    void reuses_the_pair_it_made() throws Exception {
        SelfSignedCertificate.ensure(folder);
        byte[] first = Files.readAllBytes(folder.resolve(SelfSignedCertificate.CERTIFICATE));
        SelfSignedCertificate.ensure(folder);
        assertArrayEquals(first, Files.readAllBytes(folder.resolve(SelfSignedCertificate.CERTIFICATE)));
    }

    @Test
    void a_certificate_without_its_key_is_made_again() throws Exception {
        Files.writeString(folder.resolve(SelfSignedCertificate.CERTIFICATE), "half-written");
        SelfSignedCertificate.ensure(folder);
        readCertificate().verify(readCertificate().getPublicKey());
        readKey();
    }

    @Test
    void an_earlier_versions_key_store_is_converted_and_keeps_the_trusted_certificate() throws Exception {
        KeyPair pair = SelfSignedCertificate.newKeyPair();
        X509Certificate legacy = SelfSignedCertificate.certificate(pair, ZonedDateTime.now(ZoneOffset.UTC));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("azinfer", pair.getPrivate(), "secret".toCharArray(), new Certificate[] {legacy});
        try (OutputStream out = Files.newOutputStream(folder.resolve(SelfSignedCertificate.LEGACY_KEYSTORE))) {
            store.store(out, "secret".toCharArray());
        }
        Files.writeString(folder.resolve(SelfSignedCertificate.LEGACY_PASSWORD), "secret\n");

        SelfSignedCertificate.ensure(folder);

        assertEquals(legacy, readCertificate());
        assertArrayEquals(pair.getPrivate().getEncoded(), readKey().getEncoded());
        assertFalse(Files.exists(folder.resolve(SelfSignedCertificate.LEGACY_KEYSTORE)));
        assertFalse(Files.exists(folder.resolve(SelfSignedCertificate.LEGACY_PASSWORD)));
    }

    @Test
    void an_unreadable_earlier_key_store_gives_way_to_a_new_pair_and_is_left_in_place() throws Exception {
        Files.writeString(folder.resolve(SelfSignedCertificate.LEGACY_KEYSTORE), "not a key store");
        Files.writeString(folder.resolve(SelfSignedCertificate.LEGACY_PASSWORD), "secret\n");

        SelfSignedCertificate.ensure(folder);

        readCertificate().verify(readCertificate().getPublicKey());
        readKey();
        assertTrue(Files.exists(folder.resolve(SelfSignedCertificate.LEGACY_KEYSTORE)));
    }

    @Test
    void dates_from_2050_are_generalized_time() throws Exception {
        X509Certificate certificate = SelfSignedCertificate.certificate(
                SelfSignedCertificate.newKeyPair(), ZonedDateTime.of(2045, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC));
        // not after is ten years later: GeneralizedTime (tag 0x18), read back to the second
        assertEquals(
                ZonedDateTime.of(2055, 5, 30, 12, 0, 0, 0, ZoneOffset.UTC).toInstant(),
                certificate.getNotAfter().toInstant());
        assertEquals(
                ZonedDateTime.of(2045, 5, 31, 12, 0, 0, 0, ZoneOffset.UTC).toInstant(),
                certificate.getNotBefore().toInstant());
        assertEquals(
                "180f32303530303130313030303030305a",
                hex(Der.time(ZonedDateTime.of(2050, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))));
        assertEquals(
                "170d3439313233313233353935395a",
                hex(Der.time(ZonedDateTime.of(2049, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC))));
    }

    @Test
    void encodes_object_identifiers_and_long_lengths() {
        assertEquals("06082a8648ce3d040302", hex(Der.oid("1.2.840.10045.4.3.2")));
        assertEquals("0603551d11", hex(Der.oid("2.5.29.17")));
        assertEquals("04820100", hex(Der.octetString(new byte[256])).substring(0, 8));
        assertEquals("048180", hex(Der.octetString(new byte[128])).substring(0, 6));
        assertEquals("047f", hex(Der.octetString(new byte[127])).substring(0, 4));
    }

    private X509Certificate readCertificate() throws Exception {
        byte[] pem = Files.readAllBytes(folder.resolve(SelfSignedCertificate.CERTIFICATE));
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private PrivateKey readKey() throws Exception {
        List<String> lines = Files.readAllLines(folder.resolve(SelfSignedCertificate.KEY), StandardCharsets.US_ASCII);
        assertEquals("-----BEGIN PRIVATE KEY-----", lines.get(0));
        assertEquals("-----END PRIVATE KEY-----", lines.get(lines.size() - 1));
        byte[] der = Base64.getMimeDecoder().decode(String.join("\n", lines.subList(1, lines.size() - 1)));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
