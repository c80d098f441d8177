package dev.azinfer.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * A deployment in the configuration file ({@code azinfer.deployments."<name>"}): a provider, plus
 * what the management API shows of it. These seed the deployment store the first time the service
 * sees each name; from then on the store holds it and the management API changes it.
 */
public interface DeploymentConfig extends ProviderConfig {

    /** The SKU name the management API reports, as Azure names deployment types. */
    @WithDefault("Standard")
    String sku();

    /** Capacity in units of 1,000 tokens per minute; the rate limits are derived from it. */
    @WithDefault("1000")
    int capacity();

    /** The model format (publisher family) the management API reports; defaults to the provider's name. */
    Optional<String> modelFormat();

    /** The model version the management API reports. */
    @WithDefault("1")
    String modelVersion();
}
