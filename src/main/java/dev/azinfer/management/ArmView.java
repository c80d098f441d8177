package dev.azinfer.management;

import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.ModelCatalog;
import dev.azinfer.routing.ConfiguredDeployments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shows a stored deployment in ARM's shape, under the Azure resource the request addressed. */
@ApplicationScoped
public class ArmView {

    /** The subscription, resource group and account of an ARM path (or the configured ones for the short path). */
    public record Scope(String subscription, String resourceGroup, String account) {

        String deploymentId(String name) {
            return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                    + "/providers/Microsoft.CognitiveServices/accounts/" + account + "/deployments/" + name;
        }
    }

    private static final Pattern CAPABILITY_WORD = Pattern.compile("_([a-z])");
    static final String SEEDED_TYPE = "Application";

    private final ServiceConfig config;
    private final ModelCatalog catalog;

    public ArmView(ServiceConfig config, ModelCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    public Scope defaultScope() {
        return new Scope(
                config.arm().subscriptionId(),
                config.arm().resourceGroup(),
                config.arm().account());
    }

    public ArmDeployment show(DeploymentSpec d, Scope scope) {
        return new ArmDeployment(
                scope.deploymentId(d.name()),
                ArmDeployment.TYPE,
                d.name(),
                new ArmDeployment.Sku(d.skuName(), d.capacity()),
                Preconditions.quoted(d.etag()),
                new ArmDeployment.SystemData(
                        d.createdBy(),
                        actorType(d.createdBy()),
                        d.createdAt().toString(),
                        d.modifiedBy(),
                        actorType(d.modifiedBy()),
                        d.modifiedAt().toString()),
                new ArmDeployment.Properties(
                        new ArmDeployment.Model(
                                d.model().format(), d.model().name(), d.model().version()),
                        d.versionUpgradeOption(),
                        d.provisioningState(),
                        capabilities(d),
                        rateLimits(d.capacity()),
                        d.capacity()));
    }

    /** Capacity 120 allows 120 requests per 10 s and 120,000 tokens per 60 s. */
    static List<ArmDeployment.RateLimit> rateLimits(int capacity) {
        return List.of(
                new ArmDeployment.RateLimit("request", 10, capacity),
                new ArmDeployment.RateLimit("token", 60, capacity * 1000L));
    }

    private Map<String, String> capabilities(DeploymentSpec d) {
        List<String> names = d.source() == DeploymentSpec.Source.CATALOG
                ? catalog.find(d.model().name(), d.model().version())
                        .map(ModelCatalog.Entry::capabilities)
                        .orElse(List.of())
                : ConfiguredDeployments.find(config, d.name())
                        .map(c -> List.of(c.modelType()))
                        .orElse(List.of());
        Map<String, String> out = new TreeMap<>();
        // ARM spells capabilities in camel case: chat_completion is chatCompletion
        names.forEach(n -> {
            Matcher m = CAPABILITY_WORD.matcher(n);
            out.put(m.replaceAll(r -> r.group(1).toUpperCase(java.util.Locale.ROOT)), "true");
        });
        return out;
    }

    private static String actorType(String actor) {
        return actor.startsWith(DeploymentResource.KEY_ACTOR_PREFIX) ? "Key" : SEEDED_TYPE;
    }
}
