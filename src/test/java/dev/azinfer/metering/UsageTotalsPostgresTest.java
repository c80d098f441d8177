package dev.azinfer.metering;

import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.PostgresStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The usage totals on PostgreSQL (started by .ci/run; skipped where {@value PostgresStore#URL_VARIABLE} is not set). */
@QuarkusTest
@TestProfile(PostgresStore.class)
@QuarkusTestResource(FakeUpstreamResource.class)
@EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
class UsageTotalsPostgresTest extends UsageTotalsSuite {

    @Override
    int year() {
        return 2042;
    }

    @Override
    String[] emptyDatabase() {
        String schema = PostgresStore.SCHEMA + "_upgrade";
        String url = PostgresStore.url();
        return new String[] {
            url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
            PostgresStore.user(),
            PostgresStore.password(),
            schema
        };
    }
}
