package dev.azinfer.management;

import dev.azinfer.api.ApiException;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.DeploymentSpec.Source;
import dev.azinfer.deployments.DeploymentStore;
import dev.azinfer.deployments.HistoryEntry;
import dev.azinfer.deployments.ModelCatalog;
import dev.azinfer.deployments.ModelRef;
import dev.azinfer.deployments.Route;
import dev.azinfer.routing.DeploymentRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * What the management API does to deployments: create, change, delete, route traffic. A change of
 * model or version is an in-place migration: the deployment is stored as {@code Updating}, the
 * new provider is made and readied in the background while the old one keeps serving, traffic
 * switches, and the deployment becomes {@code Succeeded} (or {@code Failed}: back as it was before
 * the change, still served by the old provider).
 */
@ApplicationScoped
public class DeploymentService {

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    /** A PUT's outcome: the deployment as stored, and whether it was created. */
    public record PutResult(DeploymentSpec deployment, boolean created) {}

    private final DeploymentStore store;
    private final DeploymentRegistry registry;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final ExecutorService switches = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deployment-switch");
        t.setDaemon(true);
        return t;
    });

    private final Optional<String> defaultDeployment;
    private final Duration switchTimeout;
    /** Etags of the switches this replica is recording. */
    private final Set<String> recording = ConcurrentHashMap.newKeySet();
    /** Etags of this replica's switches whose recording failed: tried again at once. */
    private final Set<String> unrecorded = ConcurrentHashMap.newKeySet();

    public DeploymentService(
            DeploymentStore store,
            DeploymentRegistry registry,
            ModelCatalog catalog,
            Clock clock,
            ServiceConfig config) {
        this.defaultDeployment = config.defaultDeployment();
        this.switchTimeout = config.store().switchTimeout();
        this.store = store;
        this.registry = registry;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Finishes the switches a stopped replica left {@code Updating}. */
    void resumeSwitches(@Observes StartupEvent start) {
        finishUnrecorded(Instant.MAX);
    }

    /**
     * Finishes the switches nobody records: this replica's, when recording failed (the store was
     * unreachable), and another replica's that has not recorded one well past the switch timeout
     * (it stopped). Without this they stayed {@code Updating}, refusing every change, until a restart.
     */
    @Scheduled(
            every = "${azinfer.store.refresh-interval:2s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finishAbandonedSwitches() {
        try {
            finishUnrecorded(clock.instant().minus(switchTimeout.multipliedBy(2)));
        } catch (RuntimeException e) {
            LOG.debugf("Deployment store: looking for unrecorded switches failed (%s)", e.getMessage());
        }
    }

    /** Finishes the {@code Updating} switches this replica is not recording and that were started before {@code startedBefore}. */
    private void finishUnrecorded(Instant startedBefore) {
        // every few seconds on every replica: only the deployments being migrated are read
        store.updating().stream()
                .filter(d -> DeploymentSpec.UPDATING.equals(d.provisioningState()))
                .filter(d -> !recording.contains(d.etag()))
                .filter(d -> unrecorded.contains(d.etag()) || d.modifiedAt().isBefore(startedBefore))
                .forEach(d -> finishSwitch(d.name(), d.etag()));
    }

    public List<DeploymentSpec> list() {
        return store.all();
    }

    public DeploymentSpec get(String name) {
        return store.find(name).orElseThrow(() -> notFound(name));
    }

    public List<HistoryEntry> history(String name) {
        get(name);
        return store.history(name);
    }

    public PutResult put(String name, DeploymentRequest request, Preconditions preconditions, String actor) {
        DeploymentRequest.checkName(name);
        Optional<DeploymentSpec> current = store.find(name);
        preconditions.check(current, name);
        ResolvedModel model = resolveModel(current, request);
        Instant now = clock.instant();
        if (current.isEmpty()) {
            DeploymentSpec created = new DeploymentSpec(
                    name,
                    request.sku(),
                    request.capacity(),
                    model.ref(),
                    request.upgradeOption(),
                    model.source(),
                    DeploymentSpec.SUCCEEDED,
                    newEtag(),
                    now,
                    actor,
                    now,
                    actor,
                    List.of(),
                    null);
            store.insert(created, "Created", "created with " + created.model() + ", capacity " + created.capacity());
            registry.reload();
            return new PutResult(created, true);
        }
        DeploymentSpec before = current.get();
        refuseWhileUpdating(before);
        // after a failed migration the stored model is the one that failed; any PUT tries again
        boolean retries = DeploymentSpec.FAILED.equals(before.provisioningState());
        boolean migrates = retries || !before.model().equals(model.ref());
        DeploymentSpec after = before.changed(
                request.sku(),
                request.capacity(),
                model.ref(),
                request.upgradeOption(),
                model.source(),
                migrates ? DeploymentSpec.UPDATING : before.provisioningState(),
                newEtag(),
                now,
                actor);
        if (migrates) {
            startSwitch(
                    before,
                    after,
                    "UpdateStarted",
                    retries
                            ? "in-place migration to " + after.model() + ", after the last one failed"
                            : "in-place migration from " + before.model() + " to " + after.model());
        } else {
            store.update(
                    after,
                    before.etag(),
                    "Updated",
                    "sku " + after.skuName() + ", capacity " + after.capacity() + ", versionUpgradeOption "
                            + after.versionUpgradeOption());
            registry.reload();
        }
        return new PutResult(after, false);
    }

    /**
     * Moves a deployment to another version of its model, as the upgrade policies do; false when it
     * changed meanwhile (another replica, or the operator, got there first).
     */
    boolean upgrade(DeploymentSpec before, String version, String reason) {
        DeploymentSpec after = before.changed(
                before.skuName(),
                before.capacity(),
                before.model().withVersion(version),
                before.versionUpgradeOption(),
                Source.CATALOG,
                DeploymentSpec.UPDATING,
                newEtag(),
                clock.instant(),
                VersionUpgrades.ACTOR);
        try {
            startSwitch(before, after, "AutoUpgradeStarted", reason);
            return true;
        } catch (DeploymentStore.ConflictException e) {
            return false;
        }
    }

    /** Returns false when there was nothing to delete. */
    public boolean delete(String name, Preconditions preconditions, String actor) {
        Optional<DeploymentSpec> current = store.find(name);
        preconditions.check(current, name);
        if (current.isEmpty()) {
            return false;
        }
        if (defaultDeployment
                .filter(d -> DeploymentSpec.key(d).equals(current.get().key()))
                .isPresent()) {
            // requests that name no deployment go to it, and the service does not start without it
            throw new ApiException(
                    409,
                    "Conflict",
                    "The deployment '" + current.get().name()
                            + "' is the default deployment (azinfer.default-deployment): requests that name no deployment are served by it. Configure another default first.");
        }
        store.delete(current.get(), current.get().etag(), clock.instant(), actor);
        registry.reload();
        return true;
    }

    public DeploymentSpec setRoutes(String name, List<Route> routes, Preconditions preconditions, String actor) {
        DeploymentSpec before = get(name);
        preconditions.check(Optional.of(before), name);
        // the migration under way records its outcome against the etag it wrote, which this would replace
        refuseWhileUpdating(before);
        List<Route> kept = TrafficRules.check(before, routes, store.all());
        DeploymentSpec after = before.withRoutes(kept, newEtag(), clock.instant(), actor);
        store.update(after, before.etag(), "TrafficChanged", "keeps " + after.ownWeight() + "%, routes " + kept);
        registry.reload();
        return after;
    }

    private void startSwitch(DeploymentSpec before, DeploymentSpec after, String event, String detail) {
        // the store keeps what it was, so a failure restores it whichever replica finishes the switch
        store.update(after.migratingFrom(before), before.etag(), event, detail);
        LOG.infof("Deployment '%s': %s", after.name(), detail);
        finishSwitch(after.name(), after.etag());
    }

    /**
     * Has the registry ready the new provider and switch traffic to it, and records the outcome when
     * it ends; no thread waits for the model meanwhile, so one slow switch holds up no other.
     */
    private void finishSwitch(String name, String etag) {
        if (!recording.add(etag)) {
            return;
        }
        unrecorded.remove(etag);
        switches.execute(() -> {
            try {
                registry.reload()
                        .getOrDefault(DeploymentSpec.key(name), CompletableFuture.completedFuture(null))
                        .thenAcceptAsync(failure -> recordSwitch(name, etag, failure), switches);
            } catch (RuntimeException e) {
                LOG.warnf("Deployment '%s': the switch could not start, it is tried again (%s)", name, e.getMessage());
                unrecorded.add(etag);
                recording.remove(etag);
            }
        });
    }

    /**
     * Records how a switch ended. One that failed ({@code failure} says why) leaves the deployment as
     * it was before the change (its stored {@link DeploymentSpec#previous()}), marked {@code Failed}:
     * what the store holds is what serves, so a restart serves it too, and the usage ledger names
     * the version that answered. Only a switch stored before the previous settings were kept has
     * none; it keeps the version that failed, and the next PUT tries again.
     */
    private void recordSwitch(String name, String etag, String failure) {
        boolean recorded = false;
        try {
            Optional<DeploymentSpec> now = store.find(name).filter(d -> d.etag().equals(etag));
            if (now.isEmpty()) {
                recorded = true; // changed again or deleted: that change finishes its own way
                return;
            }
            boolean reverts = failure != null && now.get().previous() != null;
            DeploymentSpec kept = reverts ? now.get().restorePrevious() : now.get();
            String detail = failure == null
                    ? "now serving " + now.get().model()
                    : reverts
                            ? failure + "; the deployment stays as it was, serving " + kept.model()
                            : failure
                                    + "; no earlier version is recorded to go back to: PUT the deployment to try again";
            store.update(
                    kept.withState(
                            failure == null ? DeploymentSpec.SUCCEEDED : DeploymentSpec.FAILED,
                            newEtag(),
                            clock.instant(),
                            now.get().modifiedBy()),
                    etag,
                    failure == null ? "UpdateSucceeded" : "UpdateFailed",
                    detail);
            recorded = true;
            registry.reload();
        } catch (DeploymentStore.ConflictException e) {
            recorded = true; // changed meanwhile: that change finishes its own way
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Deployment '%s': the switch could not be recorded, it is tried again (%s)", name, e.getMessage());
        } finally {
            if (!recorded) {
                unrecorded.add(etag);
            }
            recording.remove(etag);
        }
    }

    private record ResolvedModel(ModelRef ref, Source source) {}

    private ResolvedModel resolveModel(Optional<DeploymentSpec> current, DeploymentRequest r) {
        if (current.isPresent() && keepsConfiguredModel(current.get(), r)) {
            return new ResolvedModel(current.get().model(), Source.CONFIG);
        }
        List<ModelCatalog.Entry> versions = catalog.versions(r.model());
        if (versions.isEmpty()) {
            throw DeploymentRequest.invalid(
                    "DeploymentModelNotSupported",
                    "The model '" + r.model()
                            + "' is not in the model catalog; GET /models?api-version=2023-05-01 lists what can be deployed.",
                    "properties.model.name");
        }
        ModelCatalog.Entry any = versions.get(0);
        if (!any.format().equalsIgnoreCase(r.format())) {
            throw DeploymentRequest.invalid(
                    "DeploymentModelNotSupported",
                    "The model '" + any.name() + "' has the format '" + any.format() + "', not '" + r.format() + "'.",
                    "properties.model.format");
        }
        String version = r.version() != null
                ? r.version()
                : catalog.defaultVersion(any.name()).orElseThrow().version();
        ModelCatalog.Entry entry = catalog.find(any.name(), version)
                .orElseThrow(() -> DeploymentRequest.invalid(
                        "DeploymentModelNotSupported",
                        "The model '" + any.name() + "' has no version '" + version + "'; its versions are "
                                + versions.stream()
                                        .map(ModelCatalog.Entry::version)
                                        .toList() + ".",
                        "properties.model.version"));
        ModelRef ref = new ModelRef(entry.format(), entry.name(), entry.version());
        boolean unchanged = current.map(c -> c.model().equals(ref)).orElse(false);
        if (!unchanged && entry.retiredOn(LocalDate.now(clock))) {
            throw DeploymentRequest.invalid(
                    "DeploymentModelNotSupported",
                    "Version " + version + " of '" + entry.name()
                            + "' retired on " + entry.retirementDate().orElseThrow()
                            + "; deploy a current version (the default is "
                            + catalog.defaultVersion(entry.name())
                                    .map(ModelCatalog.Entry::version)
                                    .orElse("none") + ").",
                    "properties.model.version");
        }
        return new ResolvedModel(ref, Source.CATALOG);
    }

    /** A deployment from the configuration file keeps its provider while a PUT names the model it already has. */
    private static boolean keepsConfiguredModel(DeploymentSpec current, DeploymentRequest r) {
        return current.source() == Source.CONFIG
                && current.model().format().equalsIgnoreCase(r.format())
                && current.model().name().equalsIgnoreCase(r.model())
                && (r.version() == null || r.version().equals(current.model().version()));
    }

    private static void refuseWhileUpdating(DeploymentSpec d) {
        if (DeploymentSpec.UPDATING.equals(d.provisioningState())) {
            throw new ApiException(
                    409,
                    "AnotherOperationInProgress",
                    "The deployment '" + d.name() + "' is being migrated to " + d.model()
                            + "; retry once its provisioningState is Succeeded.",
                    null,
                    Map.of("Retry-After", "5"));
        }
    }

    static ApiException notFound(String name) {
        return new ApiException(404, "DeploymentNotFound", "The deployment '" + name + "' does not exist.", null, null);
    }

    private static String newEtag() {
        return UUID.randomUUID().toString();
    }

    @PreDestroy
    void stop() {
        switches.shutdownNow();
    }
}
