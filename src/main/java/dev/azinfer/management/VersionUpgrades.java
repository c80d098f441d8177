package dev.azinfer.management;

import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.ModelCatalog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The version upgrade policies, applied on a schedule as of the service clock's day:
 * <ul>
 *   <li>{@code OnceNewDefaultVersionAvailable}: moves to the default version on the first check on
 *       or after the day it was designated (its {@code default-since}), well within Azure's two weeks;
 *   <li>{@code OnceCurrentVersionExpired} and null: moves to the default version once the pinned
 *       version reaches its retirement date;
 *   <li>{@code NoAutoUpgrade}: never moves; once retired the deployment answers 404 {@code model_retired}.
 * </ul>
 * Each move is an in-place migration. Replicas may all run this: a move applies only to the
 * deployment as it was read (its etag), so it happens once.
 */
@ApplicationScoped
public class VersionUpgrades {

    static final String ACTOR = "version upgrade policy";
    private static final Logger LOG = Logger.getLogger(VersionUpgrades.class);

    /** A move a policy calls for. */
    record Move(String version, String reason) {}

    private final DeploymentService deployments;
    private final ModelCatalog catalog;
    private final Clock clock;

    public VersionUpgrades(DeploymentService deployments, ModelCatalog catalog, Clock clock) {
        this.deployments = deployments;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Scheduled(
            every = "${azinfer.store.upgrade-check-interval:10m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("Version upgrades: this check failed, the next one retries (%s)", e.getMessage());
        }
    }

    /** Applies the policies once; returns the names of the deployments it started moving. */
    public List<String> run() {
        LocalDate today = LocalDate.now(clock);
        List<String> moved = new ArrayList<>();
        for (DeploymentSpec d : deployments.list()) {
            if (d.source() != DeploymentSpec.Source.CATALOG
                    || !DeploymentSpec.SUCCEEDED.equals(d.provisioningState())) {
                continue;
            }
            Optional<Move> move = decide(d, today);
            if (move.isPresent()
                    && deployments.upgrade(d, move.get().version(), move.get().reason())) {
                moved.add(d.name());
            }
        }
        return moved;
    }

    Optional<Move> decide(DeploymentSpec d, LocalDate today) {
        String current = d.model().version();
        Optional<ModelCatalog.Entry> target = catalog.defaultVersion(d.model().name())
                .filter(e -> !e.version().equals(current) && !e.retiredOn(today));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        ModelCatalog.Entry to = target.get();
        Optional<LocalDate> retired = catalog.find(d.model().name(), current)
                .flatMap(ModelCatalog.Entry::retirementDate)
                .filter(day -> !today.isBefore(day));
        return switch (d.effectiveUpgradeOption()) {
            case DeploymentSpec.NO_AUTO_UPGRADE -> Optional.empty();
            case DeploymentSpec.ONCE_NEW_DEFAULT ->
                retired.map(day -> retiredMove(current, day, to))
                        .or(() -> to.defaultSince().orElse(LocalDate.MIN).isAfter(today)
                                        || ModelCatalog.compareVersions(to.version(), current) <= 0
                                ? Optional.empty()
                                : Optional.of(new Move(
                                        to.version(),
                                        "version " + to.version()
                                                + " became the default on "
                                                + to.defaultSince()
                                                        .map(LocalDate::toString)
                                                        .orElse("an earlier day")
                                                + " (OnceNewDefaultVersionAvailable)")));
            default -> retired.map(day -> retiredMove(current, day, to));
        };
    }

    private static Move retiredMove(String current, LocalDate day, ModelCatalog.Entry to) {
        return new Move(
                to.version(),
                "version " + current + " retired on " + day + "; moving to the default version " + to.version());
    }
}
