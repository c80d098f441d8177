package dev.azinfer.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.PostgresStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The same suite on PostgreSQL (started by .ci/run; skipped where {@value PostgresStore#URL_VARIABLE} is not set). */
@QuarkusTest
@TestProfile(PostgresStore.class)
@QuarkusTestResource(FakeUpstreamResource.class)
@EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
class DeploymentLifecyclePostgresTest extends DeploymentLifecycleSuite {

    @Override
    String prefix() {
        return "pg";
    }

    @Test
    void deployments_are_rows_of_the_postgresql_database() throws Exception {
        String name = name("in-postgres");
        dev.azinfer.support.Admin.create(name, GPT_4O);
        try (Connection c = DriverManager.getConnection(
                        PostgresStore.url(), PostgresStore.user(), PostgresStore.password());
                PreparedStatement s = c.prepareStatement(
                        "SELECT capacity, model_version FROM " + PostgresStore.SCHEMA + ".deployment WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no row for " + name + " in PostgreSQL");
                assertEquals(120, r.getInt(1));
                assertEquals("2024-08-06", r.getString(2));
            }
        }
    }
}
