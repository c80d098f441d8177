package dev.azinfer.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.azinfer.support.ServiceProcess;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged service with the operator's own certificate, of each kind the README names: it
 * serves that one, and makes no self-signed pair. A build once recorded the self-signed PEM pair
 * into the application, and an operator's PKCS #12 store then failed the start.
 */
class OperatorCertificateIT {

    @ParameterizedTest
    @ValueSource(strings = {"p12", "pem"})
    void the_operators_certificate_is_served(String kind) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-tls-" + kind + "-");
        KeyPair pair = SelfSignedCertificate.newKeyPair();
        X509Certificate certificate = SelfSignedCertificate.certificate(pair, ZonedDateTime.now(ZoneOffset.UTC));

        int httpsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpsPort = s.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(Map.of("quarkus.http.ssl-port", String.valueOf(httpsPort)));
        if (kind.equals("p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "operator", pair.getPrivate(), "op-secret".toCharArray(), new Certificate[] {certificate});
            Path file = data.resolve("operator.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, "op-secret".toCharArray());
            }
            settings.put("quarkus.tls.key-store.p12.path", file.toAbsolutePath().toString());
            settings.put("quarkus.tls.key-store.p12.password", "op-secret");
        } else {
            Path cert = data.resolve("operator.crt");
            Path key = data.resolve("operator.key");
            Files.writeString(cert, SelfSignedCertificate.pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(
                    key,
                    SelfSignedCertificate.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            settings.put(
                    "quarkus.tls.key-store.pem.0.cert", cert.toAbsolutePath().toString());
            settings.put("quarkus.tls.key-store.pem.0.key", key.toAbsolutePath().toString());
        }

        ServiceProcess service = new ServiceProcess(data, settings);
        service.start();
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("operator", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(tls)
                    // the box may be slow: a start took 51 s in one CI run, and the first connection timed out at 5 s
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                                    + "/info?api-version=2024-05-01-preview&model=tiny-stories"))
                            .header("api-key", ServiceProcess.KEY)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // the handshake trusted only the operator's certificate
            assertEquals(200, answer.statusCode(), answer.body());
            assertFalse(Files.exists(data.resolve("tls").resolve(SelfSignedCertificate.KEY)));
        } finally {
            service.stop();
        }
    }
}
