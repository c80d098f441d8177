package dev.azinfer.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.ModelRef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a reload keeps the provider serving a deployment instead of making one for what its spec
 * names; {@code DeploymentLifecycleSuite} runs the failed migration end to end.
 */
class KeepsProviderTest {

    private static final ProviderHandle SERVING_V2 = new ProviderHandle("catalog:phi-lab@2", null, null);

    private static DeploymentSpec spec(String version, String state) {
        Instant at = Instant.parse("2026-11-22T00:00:00Z");
        return new DeploymentSpec(
                "d",
                "Standard",
                30,
                new ModelRef("Microsoft", "phi-lab", version),
                "NoAutoUpgrade",
                DeploymentSpec.Source.CATALOG,
                state,
                "etag",
                at,
                "admin",
                at,
                "admin",
                List.of());
    }

    @Test
    void the_provider_serving_what_the_spec_names_is_kept() {
        assertTrue(
                DeploymentRegistry.keepsProvider(SERVING_V2, spec("2", DeploymentSpec.SUCCEEDED), "catalog:phi-lab@2"));
    }

    @Test
    void a_migration_in_progress_makes_the_new_provider() {
        assertFalse(DeploymentRegistry.keepsProvider(
                SERVING_V2, spec("3-broken", DeploymentSpec.UPDATING), "catalog:phi-lab@3-broken"));
    }

    @Test
    void after_a_failed_migration_the_previous_provider_keeps_serving_and_is_not_made_again() {
        assertTrue(DeploymentRegistry.keepsProvider(
                SERVING_V2, spec("3-broken", DeploymentSpec.FAILED), "catalog:phi-lab@3-broken"));
    }

    @Test
    void with_nothing_serving_yet_the_spec_is_made_even_after_a_failure() {
        // a restart: the failed version is all the store names
        assertFalse(DeploymentRegistry.keepsProvider(
                null, spec("3-broken", DeploymentSpec.FAILED), "catalog:phi-lab@3-broken"));
    }
}
