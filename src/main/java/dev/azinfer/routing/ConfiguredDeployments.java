package dev.azinfer.routing;

import dev.azinfer.config.DeploymentConfig;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.ModelRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The deployments of the configuration file, checked and turned into the specs that seed the store. */
public final class ConfiguredDeployments {

    static final String ACTOR = "configuration file";

    private ConfiguredDeployments() {}

    static List<DeploymentSpec> specs(ServiceConfig config, Instant now) {
        Map<String, String> seen = new HashMap<>();
        List<DeploymentSpec> out = new ArrayList<>();
        for (Map.Entry<String, DeploymentConfig> e : config.deployments().entrySet()) {
            String name = e.getKey();
            String other = seen.put(DeploymentSpec.key(name), name);
            if (other != null) {
                throw new IllegalStateException("azinfer.deployments: the names '" + name + "' and '" + other
                        + "' differ only in case; deployment names are matched case-insensitively");
            }
            DeploymentConfig c = e.getValue();
            ProviderConfig.requireUsable("azinfer.deployments.\"" + name + "\".", c);
            if (c.capacity() < 1) {
                throw new IllegalStateException(
                        "azinfer.deployments.\"" + name + "\".capacity must be 1 or more, not " + c.capacity());
            }
            ModelRef model = new ModelRef(
                    c.modelFormat().orElse(ProviderFactory.providerName(c)),
                    ProviderFactory.modelName(name, c, Optional.empty()),
                    c.modelVersion());
            out.add(new DeploymentSpec(
                    name,
                    c.sku(),
                    c.capacity(),
                    model,
                    null,
                    DeploymentSpec.Source.CONFIG,
                    DeploymentSpec.SUCCEEDED,
                    UUID.randomUUID().toString(),
                    now,
                    ACTOR,
                    now,
                    ACTOR,
                    List.of(),
                    null));
        }
        return out;
    }

    /** The configured deployment of that name, matched case-insensitively as requests match names. */
    public static Optional<DeploymentConfig> find(ServiceConfig config, String name) {
        return config.deployments().entrySet().stream()
                .filter(e -> DeploymentSpec.key(e.getKey()).equals(DeploymentSpec.key(name)))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
