package dev.azinfer.tls;

import dev.azinfer.config.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * A self-signed certificate for {@code localhost}, made once into a folder and reused on every
 * start: {@code key.pem} (PKCS #8, readable by the owner only) for the server and
 * {@code certificate.pem} for the server and for clients to trust.
 *
 * <p>PEM rather than a PKCS #12 key store: reading a key store derives its keys from the password
 * with thousands of hash rounds, which took a noticeable part of every start. A folder written by
 * an earlier version ({@code keystore.p12} and {@code keystore.password}) is converted once, so
 * clients keep trusting the same certificate.
 */
public final class SelfSignedCertificate {

    private static final Logger LOG = Logger.getLogger(SelfSignedCertificate.class);

    public static final String KEY = "key.pem";
    public static final String CERTIFICATE = "certificate.pem";
    static final String LEGACY_KEYSTORE = "keystore.p12";
    static final String LEGACY_PASSWORD = "keystore.password";
    private static final String LEGACY_ALIAS = "azinfer";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

    private SelfSignedCertificate() {}

    /** Makes the files unless they exist. */
    public static synchronized void ensure(Path folder) {
        Path key = folder.resolve(KEY);
        Path certificate = folder.resolve(CERTIFICATE);
        try {
            // the key is written last, so its presence says the pair is whole
            if (Files.isRegularFile(key) && Files.isRegularFile(certificate)) {
                return;
            }
            Files.createDirectories(folder);
            if (!convertLegacy(folder)) {
                KeyPair pair = newKeyPair();
                write(folder, pair.getPrivate(), certificate(pair, ZonedDateTime.now(ZoneOffset.UTC)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create the self-signed certificate in " + folder
                            + "; make azinfer.data-dir writable or configure quarkus.tls.key-store.*",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create the self-signed certificate in " + folder, e);
        }
    }

    /**
     * Converts an earlier version's key store into the PEM pair; false when there is none, or when
     * it cannot be read (then a new pair is made and the old files are left for the operator).
     */
    private static boolean convertLegacy(Path folder) throws IOException, GeneralSecurityException {
        Path keystore = folder.resolve(LEGACY_KEYSTORE);
        Path password = folder.resolve(LEGACY_PASSWORD);
        if (!Files.isRegularFile(keystore) || !Files.isRegularFile(password)) {
            return false;
        }
        PrivateKey privateKey;
        X509Certificate x509;
        try {
            char[] secret =
                    Files.readString(password, StandardCharsets.UTF_8).trim().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, secret);
            }
            Key key = store.getKey(LEGACY_ALIAS, secret);
            Certificate certificate = store.getCertificate(LEGACY_ALIAS);
            if (!(key instanceof PrivateKey k) || !(certificate instanceof X509Certificate c)) {
                throw new GeneralSecurityException("no key pair named '" + LEGACY_ALIAS + "'");
            }
            privateKey = k;
            x509 = c;
        } catch (IOException | GeneralSecurityException e) {
            LOG.warnf(
                    "The earlier self-signed key store %s cannot be read (%s); a new certificate is made, and clients"
                            + " must trust the new %s",
                    keystore, e.getMessage(), CERTIFICATE);
            return false;
        }
        write(folder, privateKey, x509);
        Files.delete(keystore);
        Files.delete(password);
        return true;
    }

    private static void write(Path folder, PrivateKey key, X509Certificate certificate)
            throws IOException, GeneralSecurityException {
        Files.writeString(
                folder.resolve(CERTIFICATE), pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        PrivateFiles.write(folder.resolve(KEY), pem("PRIVATE KEY", key.getEncoded()));
    }

    /** P-256: made in a millisecond, where an RSA key took a large part of the first start. */
    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** An X.509 v3 certificate for localhost, 127.0.0.1 and ::1, valid ten years, not a CA. */
    static X509Certificate certificate(KeyPair pair, ZonedDateTime now) throws GeneralSecurityException, IOException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] name = Der.sequence(
                Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8String("azinfer self-signed"))),
                Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String("localhost"))));
        byte[] basicConstraints = Der.sequence(Der.oid("2.5.29.19"), Der.bool(true), Der.octetString(Der.sequence()));
        byte[] alternativeNames = Der.sequence(
                Der.oid("2.5.29.17"),
                Der.octetString(Der.sequence(
                        Der.implicit(2, "localhost".getBytes(StandardCharsets.US_ASCII)),
                        Der.implicit(7, InetAddress.getByName("127.0.0.1").getAddress()),
                        Der.implicit(7, InetAddress.getByName("::1").getAddress()))));
        ZonedDateTime start = now.truncatedTo(ChronoUnit.SECONDS);
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(BigInteger.valueOf(start.toInstant().toEpochMilli())),
                algorithm,
                name,
                Der.sequence(Der.time(start.minus(Duration.ofDays(1))), Der.time(start.plus(Duration.ofDays(3650)))),
                name,
                pair.getPublic().getEncoded(),
                Der.explicit(3, Der.sequence(basicConstraints, alternativeNames)));
        Signature signer = Signature.getInstance(SIGNATURE);
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        X509Certificate certificate = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(pair.getPublic());
        return certificate;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
