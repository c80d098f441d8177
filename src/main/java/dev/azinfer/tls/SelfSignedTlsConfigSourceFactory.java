package dev.azinfer.tls;

import dev.azinfer.config.EarlyConfig;
import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the HTTPS key store when the operator configured none: the self-signed PEM pair in
 * {@code azinfer.data-dir}/tls. It is made at run time, on first read of the setting; the build
 * sees none of it. Any configured {@code quarkus.tls.key-store.*} wins (lower ordinal).
 */
public class SelfSignedTlsConfigSourceFactory implements ConfigSourceFactory {

    static final String CERT = "quarkus.tls.key-store.pem.0.cert";
    static final String KEY = "quarkus.tls.key-store.pem.0.key";
    private static final List<String> CONFIGURED = List.of(
            CERT,
            "quarkus.tls.key-store.p12.path",
            "quarkus.tls.key-store.pem.\"0\".cert",
            "quarkus.tls.key-store.jks.path",
            "quarkus.http.ssl.certificate.files",
            "quarkus.http.ssl.certificate.key-store-file");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            // the build: what a factory supplies then is recorded into the application as defaults, and a
            // recorded PEM pair collided with an operator's PKCS #12 or JKS key store at run time ("cannot
            // be configured with PEM and PKCS12 at the same time"); nor should a build write a key
            return List.of();
        }
        // the earliest the application runs: before Quarkus reads any key store
        InMemoryKeyStores.protectWithOneRound();
        for (String key : CONFIGURED) {
            if (EarlyConfig.get(context, key).isPresent()) {
                return List.of();
            }
        }
        Path folder = EarlyConfig.dataDir(context).resolve("tls");
        return List.of(new Source(folder));
    }

    private static final class Source implements ConfigSource {
        private final Path folder;

        Source(Path folder) {
            this.folder = folder;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(CERT, KEY);
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of(CERT, getValue(CERT), KEY, getValue(KEY));
        }

        @Override
        public String getValue(String name) {
            String file = CERT.equals(name)
                    ? SelfSignedCertificate.CERTIFICATE
                    : KEY.equals(name) ? SelfSignedCertificate.KEY : null;
            if (file == null) {
                return null;
            }
            SelfSignedCertificate.ensure(folder);
            return folder.resolve(file).toAbsolutePath().toString();
        }

        @Override
        public int getOrdinal() {
            return EarlyConfig.FACTORY_ORDINAL;
        }

        @Override
        public String getName() {
            return "azinfer-self-signed-tls";
        }
    }
}
