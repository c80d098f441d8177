package dev.azinfer.routing;

import dev.azinfer.api.ApiException;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentRemoved;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.DeploymentStore;
import dev.azinfer.deployments.ModelCatalog;
import dev.azinfer.deployments.Route;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The deployments requests are served by: a snapshot of the store, with a provider for each,
 * swapped whole when the store changes. A request looks its deployment up once, at its start, and
 * keeps that provider to its end, so none sees a half-switched deployment; a provider replaced by
 * a migration closes after its last request. Names match case-insensitively.
 */
@Startup
@ApplicationScoped
public class DeploymentRegistry {

    private static final Logger LOG = Logger.getLogger(DeploymentRegistry.class);

    /** A deployment as served: its stored spec, and its provider, or why it has none. */
    record Live(DeploymentSpec spec, ProviderHandle handle, String unavailable) {}

    private record Snapshot(Map<String, Live> byKey, long revision) {}

    private final ServiceConfig config;
    private final DeploymentStore store;
    private final ModelCatalog catalog;
    private final ProviderFactory factory;
    private final RequestCounts counts;
    private final Clock clock;
    private final ProviderSwitch switcher;
    private final Event<DeploymentRemoved> removed;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), -1);
    /** Set at shutdown: the store may still be written (a switch recorded), but nothing is made any more. */
    private boolean closed;
    /** Where the readiness of a migration's new provider is acted on: off the thread that loaded it. */
    private final ExecutorService settle = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deployment-switch-ready");
        t.setDaemon(true);
        return t;
    });

    public DeploymentRegistry(
            ServiceConfig config,
            DeploymentStore store,
            ModelCatalog catalog,
            ProviderFactory factory,
            RequestCounts counts,
            Clock clock,
            Event<DeploymentRemoved> removed) {
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.factory = factory;
        this.counts = counts;
        this.clock = clock;
        this.removed = removed;
        this.switcher = new ProviderSwitch(config.store().switchTimeout(), settle, this::settled);
        List<String> seeded = store.seed(ConfiguredDeployments.specs(config, clock.instant()));
        if (!seeded.isEmpty()) {
            LOG.infof("Deployment store: seeded %s from the configuration file", seeded);
        }
        reload();
        config.defaultDeployment().ifPresent(name -> {
            if (!snapshot.byKey.containsKey(DeploymentSpec.key(name))) {
                throw new IllegalStateException("azinfer.default-deployment names '" + name
                        + "', which is neither in azinfer.deployments nor in the deployment store");
            }
        });
    }

    /**
     * Reads the store and swaps in the new snapshot. Providers whose binding did not change are
     * kept. A deployment being migrated to another model is served as it was until its new
     * provider is ready: that one is readied in the background, and the reload made when it is
     * ready moves traffic to it. A reload never waits for a model, so changes to other deployments
     * go through meanwhile. Returns, for each deployment being migrated, how its switch ends: null
     * once its new provider serves, else why it does not.
     */
    public synchronized Map<String, CompletionStage<String>> reload() {
        if (closed) {
            // a switch started while stopping stays unrecorded: the next start finishes it
            throw new IllegalStateException("the service is stopping");
        }
        switcher.begin();
        long revision = store.revision();
        Map<String, Live> previous = snapshot.byKey;
        Map<String, Live> next = new LinkedHashMap<>();
        Map<String, CompletionStage<String>> switching = new LinkedHashMap<>();
        for (DeploymentSpec spec : store.all()) {
            next.put(spec.key(), serve(spec, previous.get(spec.key()), switching));
        }
        switcher.keepOnly(switching.keySet());
        snapshot = new Snapshot(Map.copyOf(next), revision);
        switcher.published();
        switcher.retireReplaced(previous, next);
        previous.forEach((k, live) -> {
            if (!next.containsKey(k)) {
                counts.forget(k);
                try {
                    removed.fire(new DeploymentRemoved(live.spec()));
                } catch (RuntimeException e) {
                    // the change is made: what failed to forget stays, and the others are still forgotten
                    LOG.warnf(
                            "Deployment %s removed, but forgetting it failed: %s",
                            live.spec().name(), e);
                }
            }
        });
        return switching;
    }

    /**
     * How a deployment is served in the next snapshot, given how it is served now ({@code before},
     * null at start). A migration under way puts how its switch ends into {@code switching}.
     */
    private Live serve(DeploymentSpec spec, Live before, Map<String, CompletionStage<String>> switching) {
        ProviderHandle serving = before == null ? null : before.handle();
        String binding = binding(spec);
        boolean updating = DeploymentSpec.UPDATING.equals(spec.provisioningState());
        if (serving != null && serving.binding.equals(binding)) {
            if (updating) {
                // made for a migration found unfinished at this start: it ends once the provider is ready
                switching.put(spec.key(), switcher.readiness(serving));
            }
            return new Live(spec, serving, null);
        }
        Optional<ProviderConfig> settings = settings(spec);
        if (settings.isEmpty()) {
            if (updating) {
                // a version this replica cannot make: the switch fails, and the previous settings come back
                switching.put(spec.key(), CompletableFuture.completedFuture(unavailableReason(spec)));
            }
            return new Live(spec, null, unavailableReason(spec));
        }
        Supplier<ProviderHandle> make = () -> make(spec, binding, settings.get());
        if (serving != null && !serving.failedToLoad) {
            // a migration: the deployment is served by its old model until the new one is ready, with
            // the rest of its settings (capacity, routes) as they are now
            ProviderHandle ready = switcher.readyOrPrepare(spec.key(), binding, updating, make, switching);
            return ready == null ? new Live(servedBy(spec, before.spec()), serving, null) : new Live(spec, ready, null);
        }
        DeploymentSpec was = updating && spec.previous() != null ? spec.restorePrevious() : null;
        Optional<ProviderConfig> wasSettings =
                was == null || binding(was).equals(binding) ? Optional.empty() : settings(was);
        if (wasSettings.isPresent()) {
            // a migration found unfinished at this start: what the deployment was serves until the new model is ready
            ProviderHandle ready = switcher.readyOrPrepare(spec.key(), binding, true, make, switching);
            return ready == null
                    ? new Live(was, make(was, binding(was), wasSettings.get()), null)
                    : new Live(spec, ready, null);
        }
        // nothing to keep serving meanwhile: a new deployment answers as soon as it can
        ProviderHandle made = make.get();
        if (updating) {
            switching.put(spec.key(), switcher.readiness(made));
        }
        return new Live(spec, made, null);
    }

    /** {@code spec} with the model of the provider still serving it ({@code served}), as the ledger must name it. */
    private static DeploymentSpec servedBy(DeploymentSpec spec, DeploymentSpec served) {
        return spec.changed(
                spec.skuName(),
                spec.capacity(),
                served.model(),
                spec.versionUpgradeOption(),
                served.source(),
                spec.provisioningState(),
                spec.etag(),
                spec.modifiedAt(),
                spec.modifiedBy());
    }

    private ProviderHandle make(DeploymentSpec spec, String binding, ProviderConfig settings) {
        return new ProviderHandle(binding, factory.build(spec.name(), settings, catalogName(spec)), settings);
    }

    private synchronized boolean readyToSwitch() {
        return switcher.hasReady();
    }

    /** A migration's new provider became ready (traffic moves to it now) or failed (the old one keeps serving). */
    private synchronized void settled(String key, ProviderSwitch.Pending pending, String failure) {
        if (!switcher.isCurrent(key, pending)) {
            return; // cancelled meanwhile: the deployment changed again or is gone
        }
        if (failure != null) {
            switcher.fail(key, pending, failure);
            return;
        }
        pending.ready = true;
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Deployment store: cannot be read to move traffic to the new model of '%s'; the next refresh does (%s)",
                    key, e.getMessage());
        }
    }

    /** Picks up changes other replicas made to a shared store. */
    @Scheduled(every = "${azinfer.store.refresh-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            if (store.revision() != snapshot.revision || readyToSwitch()) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Deployment store: refresh failed, serving the last known deployments (%s)", e.getMessage());
        }
    }

    /**
     * The deployment serving a request that names {@code requested} (body {@code model} or
     * header), else the default; held by the returned lease until the request ends. A share of the
     * requests may go to another deployment when the named one routes traffic there.
     *
     * @throws ApiException 404 {@code unknown_model} or {@code model_retired}, 503 when the deployment has no provider,
     *     or 400 {@code no_model_name} when none is named and there is no default
     */
    public Lease acquire(String requested) {
        for (; ; ) {
            Snapshot s = snapshot;
            Live named = named(s, requested);
            Live served = route(s, named);
            ProviderHandle handle = usable(served);
            if (handle.tryAcquire()) {
                counts.record(named.spec().key(), served.spec().key());
                return new Lease(handle, served.spec());
            }
            // closed by a migration between the lookup and now: the new snapshot has its replacement
        }
    }

    /** Whether a deployment of this name is served now (in the current snapshot, with or without a provider). */
    public boolean serves(String name) {
        return snapshot.byKey.containsKey(DeploymentSpec.key(name));
    }

    /** The deployment a request names, for what it says of itself ({@code /info}); no traffic is routed. */
    public Deployment resolve(String requested) {
        return usable(named(snapshot, requested)).deployment;
    }

    /** Every deployment that can serve requests now: not those without a provider, nor those on a retired version. */
    public Collection<Deployment> all() {
        return snapshot.byKey.values().stream()
                .filter(l -> l.handle() != null && retired(l.spec()).isEmpty())
                .map(l -> l.handle().deployment)
                .toList();
    }

    private Live named(Snapshot s, String requested) {
        if (requested == null || requested.isBlank()) {
            return fallback(s)
                    .orElseThrow(() -> ApiException.badRequest(
                            "no_model_name",
                            "No model specified: this endpoint serves several deployments. Name one with 'model' (the body's field for chat completions, the query parameter for model info) or the header 'azureml-model-deployment'.",
                            "model"));
        }
        Live live = s.byKey.get(DeploymentSpec.key(requested));
        if (live == null) {
            throw new ApiException(
                    404,
                    "unknown_model",
                    "Unknown model: " + requested + ". The deployment does not exist.",
                    "model",
                    null);
        }
        return live;
    }

    private Optional<Live> fallback(Snapshot s) {
        if (config.defaultDeployment().isPresent()) {
            return Optional.ofNullable(
                    s.byKey.get(DeploymentSpec.key(config.defaultDeployment().get())));
        }
        return s.byKey.size() == 1 ? Optional.of(s.byKey.values().iterator().next()) : Optional.empty();
    }

    private static Live route(Snapshot s, Live named) {
        List<Route> routes = named.spec().routes();
        if (routes.isEmpty()) {
            return named;
        }
        int draw = ThreadLocalRandom.current().nextInt(100);
        int bound = named.spec().ownWeight();
        if (draw < bound) {
            return named;
        }
        for (Route r : routes) {
            bound += r.weight();
            Live target = s.byKey.get(DeploymentSpec.key(r.deployment()));
            if (draw < bound && target != null) {
                return target;
            }
        }
        return named;
    }

    private ProviderHandle usable(Live live) {
        DeploymentSpec spec = live.spec();
        if (live.handle() == null) {
            throw new ApiException(
                    503, "deployment_unavailable", live.unavailable(), "model", Map.of("Retry-After", "60"));
        }
        retired(spec).ifPresent(e -> {
            throw new ApiException(
                    404,
                    "model_retired",
                    "The deployment '" + spec.name() + "' serves "
                            + spec.model().name() + " version "
                            + spec.model().version() + ", which retired on "
                            + e.retirementDate().orElseThrow()
                            + ", and its versionUpgradeOption is NoAutoUpgrade. Update the deployment to a current version (the default is "
                            + catalog.defaultVersion(spec.model().name())
                                    .map(ModelCatalog.Entry::version)
                                    .orElse("none")
                            + ").",
                    "model",
                    null);
        });
        return live.handle();
    }

    /** The catalog entry of the retired version a NoAutoUpgrade deployment still names: it answers 404. */
    private Optional<ModelCatalog.Entry> retired(DeploymentSpec spec) {
        if (spec.source() != DeploymentSpec.Source.CATALOG
                || !DeploymentSpec.NO_AUTO_UPGRADE.equals(spec.versionUpgradeOption())) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock);
        return catalog.find(spec.model().name(), spec.model().version()).filter(e -> e.retiredOn(today));
    }

    private static String binding(DeploymentSpec spec) {
        return spec.source() == DeploymentSpec.Source.CONFIG
                ? "config"
                : "catalog:" + spec.model().name() + "@" + spec.model().version();
    }

    private Optional<ProviderConfig> settings(DeploymentSpec spec) {
        return spec.source() == DeploymentSpec.Source.CONFIG
                ? ConfiguredDeployments.find(config, spec.name()).map(c -> (ProviderConfig) c)
                : catalog.find(spec.model().name(), spec.model().version()).map(ModelCatalog.Entry::provider);
    }

    private static String unavailableReason(DeploymentSpec spec) {
        return spec.source() == DeploymentSpec.Source.CONFIG
                ? "The deployment '" + spec.name() + "' was made from azinfer.deployments.\"" + spec.name()
                        + "\", which is no longer in the configuration. Restore it, or update the deployment to a catalog model."
                : "The deployment '" + spec.name() + "' serves " + spec.model()
                        + ", which is no longer in the model catalog. Update the deployment to a catalog version.";
    }

    private static Optional<String> catalogName(DeploymentSpec spec) {
        return spec.source() == DeploymentSpec.Source.CATALOG
                ? Optional.of(spec.model().name())
                : Optional.empty();
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        settle.shutdownNow();
        switcher.closeAll();
        snapshot.byKey.values().stream().filter(l -> l.handle() != null).forEach(l -> l.handle()
                .closeAtShutdown());
    }
}
