package dev.azinfer.deployments;

import dev.azinfer.config.EarlyConfig;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the embedded H2 store at {@code azinfer.data-dir}/store, as an absolute path (H2 refuses
 * paths relative to the working folder). Not supplied when PostgreSQL is configured, which leaves
 * the H2 datasource inactive; a configured {@code quarkus.datasource.jdbc.url} wins (lower ordinal).
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, URL)
                || isSet(context, "quarkus.datasource.\"postgresql\".jdbc.url")
                || isSet(context, "quarkus.datasource.postgresql.jdbc.url")) {
            return List.of();
        }
        Path file =
                EarlyConfig.dataDir(context).resolve("store").resolve("azinfer").toAbsolutePath();
        // WRITE_DELAY=0: a committed change is in the file before the call returns, so a hard kill loses nothing
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while the service,
        // stopping, still moves the usage journal into it; the connection pool closes it in order
        String url = "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        return List.of(
                new PropertiesConfigSource(Map.of(URL, url), "azinfer-embedded-store", EarlyConfig.FACTORY_ORDINAL));
    }

    private static boolean isSet(ConfigSourceContext context, String key) {
        return EarlyConfig.get(context, key).isPresent();
    }
}
