package dev.azinfer.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a test class against a real PostgreSQL instead of the H2 file: the server named by
 * {@code AZINFER_TEST_POSTGRES_URL} (a JDBC URL; {@code .ci/run} starts one on loopback from
 * Debian's packages). Each test run gets its own schema, so runs never see each other's state.
 */
public class PostgresStore implements QuarkusTestProfile {

    public static final String URL_VARIABLE = "AZINFER_TEST_POSTGRES_URL";
    /** One schema per test JVM (every class of the run shares it, as replicas share a database). */
    public static final String SCHEMA = "run_" + Long.toString(System.currentTimeMillis(), 36);

    public static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(
                    URL_VARIABLE + " is not set: start PostgreSQL (see .ci/postgres) and set it");
        }
        return url;
    }

    public static String user() {
        return System.getenv().getOrDefault("AZINFER_TEST_POSTGRES_USER", "postgres");
    }

    public static String password() {
        return System.getenv().getOrDefault("AZINFER_TEST_POSTGRES_PASSWORD", "");
    }

    /** The settings that point the service at that PostgreSQL schema. */
    public static Map<String, String> settings() {
        return settings(SCHEMA);
    }

    /** The same, in a schema of its own. */
    public static Map<String, String> settings(String schema) {
        Map<String, String> config = new HashMap<>();
        String url = url();
        config.put(
                "quarkus.datasource.postgresql.jdbc.url",
                url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.put("quarkus.datasource.postgresql.username", user());
        config.put("quarkus.datasource.postgresql.password", password());
        config.put("quarkus.flyway.postgresql.schemas", schema);
        return config;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = settings();
        // the H2 datasource stays inactive: no URL for it
        config.put("quarkus.datasource.jdbc.url", "");
        return config;
    }
}
