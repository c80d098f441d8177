package dev.azinfer.management;

import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.PostgresStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The same suite on PostgreSQL (started by .ci/run; skipped where {@value PostgresStore#URL_VARIABLE} is not set). */
@QuarkusTest
@TestProfile(PostgresStore.class)
@QuarkusTestResource(FakeUpstreamResource.class)
@EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
class UpgradePolicyPostgresTest extends UpgradePolicySuite {

    @Override
    String prefix() {
        return "pg-up";
    }
}
