package dev.azinfer.tls;

import dev.azinfer.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code localhost}, made once into a folder and reused on every
 * start: {@code keystore.p12} (with its password in {@code keystore.password}) for the server and
 * {@code certificate.pem} for clients to trust.
 */
public final class SelfSignedCertificate {

    public static final String KEYSTORE = "keystore.p12";
    public static final String PASSWORD = "keystore.password";
    public static final String CERTIFICATE = "certificate.pem";

    private SelfSignedCertificate() {}

    /** Makes the files unless they exist; returns the keystore password. */
    public static synchronized String ensure(Path folder) {
        Path keystore = folder.resolve(KEYSTORE);
        Path password = folder.resolve(PASSWORD);
        try {
            if (Files.isRegularFile(keystore) && Files.isRegularFile(password)) {
                return Files.readString(password, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(folder);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            // P-256: made in a millisecond, where an RSA key took a large part of the first start
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = certificate(pair);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("azinfer", pair.getPrivate(), secret.toCharArray(), new Certificate[] {certificate});
            java.io.ByteArrayOutputStream keystoreBytes = new java.io.ByteArrayOutputStream();
            store.store(keystoreBytes, secret.toCharArray());
            PrivateFiles.write(password, secret);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(folder.resolve(CERTIFICATE), pem, StandardCharsets.US_ASCII);
            // the keystore appears last and whole, so a crash never leaves a half-written pair
            PrivateFiles.write(keystore, keystoreBytes.toByteArray());
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create the self-signed certificate in " + folder
                            + "; make azinfer.data-dir writable or configure quarkus.tls.key-store.*",
                    e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("Cannot create the self-signed certificate", e);
        }
    }

    private static X509Certificate certificate(KeyPair pair)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
        X500Name subject = new X500Name("CN=localhost, O=azinfer self-signed");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))),
                subject,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1")
        }));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }
}
