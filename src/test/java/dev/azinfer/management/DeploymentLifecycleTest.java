package dev.azinfer.management;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The lifecycle suite on the embedded store (an H2 file). */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class DeploymentLifecycleTest extends DeploymentLifecycleSuite {

    @Override
    String prefix() {
        return "h2";
    }
}
