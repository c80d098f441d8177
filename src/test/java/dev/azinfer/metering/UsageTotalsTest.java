package dev.azinfer.metering;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The usage totals on the embedded store (an H2 file). */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class UsageTotalsTest extends UsageTotalsSuite {

    @Override
    int year() {
        return 2041;
    }

    @Override
    String[] emptyDatabase() {
        return new String[] {"jdbc:h2:mem:upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", "PUBLIC"};
    }
}
