package dev.azinfer.deployments;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A deployment as the store keeps it: what the operator asked for (sku, capacity, model, upgrade
 * option, routes) and what the service says of it (provisioning state, etag, who changed it when).
 * While an in-place migration is under way ({@link #UPDATING}) it also keeps what the deployment
 * was before ({@link #previous()}), so a migration that fails can put it back, whichever replica
 * finishes it.
 */
public record DeploymentSpec(
        String name,
        String skuName,
        int capacity,
        ModelRef model,
        String versionUpgradeOption,
        Source source,
        String provisioningState,
        String etag,
        Instant createdAt,
        String createdBy,
        Instant modifiedAt,
        String modifiedBy,
        List<Route> routes,
        Previous previous) {

    /** What a deployment was before the migration under way: the settings a failed one restores. */
    public record Previous(String skuName, int capacity, ModelRef model, String versionUpgradeOption, Source source) {}

    /** Where the provider of a deployment comes from. */
    public enum Source {
        /** The configuration file's {@code azinfer.deployments."<name>"}. */
        CONFIG,
        /** The catalog's model version named by {@link #model()}. */
        CATALOG
    }

    public static final String SUCCEEDED = "Succeeded";
    public static final String UPDATING = "Updating";
    public static final String FAILED = "Failed";

    public static final String ONCE_NEW_DEFAULT = "OnceNewDefaultVersionAvailable";
    public static final String ONCE_EXPIRED = "OnceCurrentVersionExpired";
    public static final String NO_AUTO_UPGRADE = "NoAutoUpgrade";

    public DeploymentSpec {
        routes = List.copyOf(routes);
    }

    /** The case-insensitive identity of a deployment name. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public String key() {
        return key(name);
    }

    /** The share of its own requests this deployment keeps (100 minus what its routes send elsewhere). */
    public int ownWeight() {
        return 100 - routes.stream().mapToInt(Route::weight).sum();
    }

    /** The option in effect: {@code null} means {@link #ONCE_EXPIRED}, as in Azure. */
    public String effectiveUpgradeOption() {
        return versionUpgradeOption == null ? ONCE_EXPIRED : versionUpgradeOption;
    }

    /** The deployment with these settings and no migration under way (a migration adds {@link #migratingFrom}). */
    public DeploymentSpec changed(
            String newSku,
            int newCapacity,
            ModelRef newModel,
            String newOption,
            Source newSource,
            String newState,
            String newEtag,
            Instant at,
            String by) {
        return new DeploymentSpec(
                name,
                newSku,
                newCapacity,
                newModel,
                newOption,
                newSource,
                newState,
                newEtag,
                createdAt,
                createdBy,
                at,
                by,
                routes,
                null);
    }

    /** This change as an in-place migration from {@code before}, which a failure restores. */
    public DeploymentSpec migratingFrom(DeploymentSpec before) {
        return copy(
                etag,
                modifiedAt,
                modifiedBy,
                routes,
                new Previous(
                        before.skuName, before.capacity, before.model, before.versionUpgradeOption, before.source));
    }

    /** The deployment as it was before the migration under way ({@link #previous()} must be set). */
    public DeploymentSpec restorePrevious() {
        return changed(
                previous.skuName,
                previous.capacity,
                previous.model,
                previous.versionUpgradeOption,
                previous.source,
                provisioningState,
                etag,
                modifiedAt,
                modifiedBy);
    }

    public DeploymentSpec withState(String newState, String newEtag, Instant at, String by) {
        return changed(skuName, capacity, model, versionUpgradeOption, source, newState, newEtag, at, by);
    }

    public DeploymentSpec withRoutes(List<Route> newRoutes, String newEtag, Instant at, String by) {
        return copy(newEtag, at, by, newRoutes, previous);
    }

    /** The same settings, model and state, with these routes, migration record and last change. */
    private DeploymentSpec copy(String newEtag, Instant at, String by, List<Route> newRoutes, Previous newPrevious) {
        return new DeploymentSpec(
                name,
                skuName,
                capacity,
                model,
                versionUpgradeOption,
                source,
                provisioningState,
                newEtag,
                createdAt,
                createdBy,
                at,
                by,
                newRoutes,
                newPrevious);
    }
}
