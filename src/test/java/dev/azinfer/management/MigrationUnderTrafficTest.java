package dev.azinfer.management;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Migrations under traffic on the embedded store (an H2 file). */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class MigrationUnderTrafficTest extends MigrationUnderTrafficSuite {

    @Override
    String prefix() {
        return "h2-mig";
    }
}
