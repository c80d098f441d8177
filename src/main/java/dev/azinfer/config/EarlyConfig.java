package dev.azinfer.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings as the config source factories (embedded store, self-signed TLS) must read them. Their
 * context does not see system properties in the packaged application (it gave the
 * application.properties value under {@code -Dazinfer.data-dir=...}), so system properties and
 * the environment are read first, in the precedence Quarkus gives them, and values the build
 * recorded are not taken for settings.
 */
public final class EarlyConfig {

    /**
     * The ordinal of the sources the factories supply: above the defaults the build records, below
     * application.properties (250), the environment (300) and system properties (400).
     */
    public static final int FACTORY_ORDINAL = 200;

    private EarlyConfig() {}

    public static Optional<String> get(ConfigSourceContext context, String key) {
        String value = System.getProperty(key);
        if (isBlank(value)) {
            value = System.getenv(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        if (isBlank(value)) {
            ConfigValue configured = context.getValue(key);
            // the build records what the factories supplied at build time as default values (the lowest
            // ordinal): those are not the operator's settings
            boolean operators = configured != null && configured.getConfigSourceOrdinal() > FACTORY_ORDINAL;
            value = operators ? configured.getValue() : null;
        }
        return isBlank(value) ? Optional.empty() : Optional.of(value);
    }

    /** {@code azinfer.data-dir}. */
    public static Path dataDir(ConfigSourceContext context) {
        return Path.of(get(context, "azinfer.data-dir").orElse("data"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
