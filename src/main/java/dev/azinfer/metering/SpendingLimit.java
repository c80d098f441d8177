package dev.azinfer.metering;

import dev.azinfer.api.ApiException;
import dev.azinfer.api.RetryAfter;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.StoreDatabase;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The spending limit per billing cycle (monthly from {@code cycle-start-day}, UTC). Once the
 * cycle's cost reaches it, inference is refused until the next cycle or until an operator raises
 * it. The cycle's spend is the ledger's sum, re-read every few seconds (what other replicas spent
 * included), plus what this replica recorded since.
 */
// made at start: its first reads of the database must not happen on a request's event loop
@io.quarkus.runtime.Startup
@ApplicationScoped
public class SpendingLimit {

    private static final Logger LOG = Logger.getLogger(SpendingLimit.class);

    /** A billing cycle, {@code [start, end)}; both at midnight UTC. */
    public record Cycle(Instant start, Instant end) {
        BigDecimal spentIn(UsageLedger ledger) {
            return ledger.spent(UsageTotals.day(start), UsageTotals.day(end));
        }
    }

    /** What the management API shows. */
    public record Status(Optional<BigDecimal> limit, BigDecimal spent, String currency, Cycle cycle) {
        public boolean reached() {
            return limit.map(l -> spent.compareTo(l) >= 0).orElse(false);
        }
    }

    private record Spend(Instant cycleStart, BigDecimal fromLedger, BigDecimal sinceRead) {}

    private final ServiceConfig config;
    private final StoreDatabase db;
    private final UsageLedger ledger;
    private final Clock clock;
    private volatile Optional<BigDecimal> limit;
    private volatile Spend spend;

    public SpendingLimit(ServiceConfig config, StoreDatabase db, UsageLedger ledger, Clock clock) {
        this.config = config;
        this.db = db;
        this.ledger = ledger;
        this.clock = clock;
        // checked here, not by a constraint on the setting (see ServiceConfig)
        config.billing()
                .spendingLimit()
                .filter(configured -> configured.signum() < 0)
                .ifPresent(negative -> {
                    throw new IllegalStateException(
                            "azinfer.billing.spending-limit must be greater than or equal to 0; it is " + negative);
                });
        this.limit = readLimit();
        Cycle c = cycle(clock.instant());
        // read with or without a limit: a limit set later is held against it until refresh() reads again
        this.spend = new Spend(c.start(), c.spentIn(ledger), BigDecimal.ZERO);
    }

    public Cycle cycle(Instant now) {
        int day = Math.max(1, Math.min(28, config.billing().cycleStartDay()));
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate start = today.withDayOfMonth(day);
        if (today.isBefore(start)) {
            start = start.minusMonths(1);
        }
        return new Cycle(
                start.atStartOfDay().toInstant(ZoneOffset.UTC),
                start.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** Refuses inference when the cycle's spend has reached the limit: 429 saying until when. */
    public void check() {
        Optional<BigDecimal> l = limit;
        if (l.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Cycle c = cycle(now);
        BigDecimal spent = spent(c);
        if (spent.compareTo(l.get()) >= 0) {
            long millis = Math.max(1, Duration.between(now, c.end()).toMillis());
            throw new ApiException(
                    429,
                    "spending_limit_reached",
                    "The spending limit of " + l.get().stripTrailingZeros().toPlainString() + " "
                            + config.billing().currency()
                            + " for the billing cycle that started " + c.start() + " is reached (spent "
                            + spent.stripTrailingZeros().toPlainString()
                            + "). Requests are refused until the next cycle starts at "
                            + c.end() + ", or until an operator raises the limit.",
                    null,
                    RetryAfter.headers(millis));
        }
    }

    /** Adds what a request recorded in the ledger cost. */
    public void add(BigDecimal cost) {
        if (cost.signum() == 0) {
            return;
        }
        Instant start = cycle(clock.instant()).start();
        synchronized (this) {
            Spend s = spend;
            spend = s.cycleStart().equals(start)
                    ? new Spend(start, s.fromLedger(), s.sinceRead().add(cost))
                    : new Spend(start, BigDecimal.ZERO, cost);
        }
    }

    public Status status() {
        Cycle c = cycle(clock.instant());
        // without a limit the spend is not kept current: read it
        BigDecimal spent = limit.isPresent() ? spent(c) : c.spentIn(ledger);
        return new Status(limit, spent, config.billing().currency(), c);
    }

    /** Sets (or with empty, removes) the limit; applies at once on this replica, within seconds on the others. */
    public Status set(Optional<BigDecimal> amount, String actor) {
        try {
            db.transaction(c -> {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM spending_limit WHERE id = 1");
                        PreparedStatement i = c.prepareStatement(
                                "INSERT INTO spending_limit (id, amount, modified_at, modified_by) VALUES (1, ?, ?, ?)")) {
                    d.executeUpdate();
                    i.setBigDecimal(1, amount.orElse(null));
                    i.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
                    i.setString(3, actor);
                    i.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new ApiException(
                    503, "store_unavailable", "The spending limit could not be saved; nothing changed. Retry shortly.");
        }
        limit = amount;
        refresh();
        return status();
    }

    /** Re-reads the limit and the cycle's spend, so that what other replicas did counts here too. */
    @Scheduled(every = "${azinfer.store.refresh-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            // a store that cannot be read keeps the last limit read: an outage must not lift it
            Optional<BigDecimal> read = readLimit();
            if (read.isEmpty()) {
                // no limit, nothing to hold spend against: the ledger is not read
                limit = read;
                return;
            }
            Cycle c = cycle(clock.instant());
            BigDecimal addedBefore = spend.sinceRead();
            BigDecimal spent = c.spentIn(ledger);
            synchronized (this) {
                // what was added while the ledger was read may not be in it: it stays counted (twice at worst)
                Spend s = spend;
                BigDecimal addedSince = s.cycleStart().equals(c.start())
                        ? s.sinceRead().subtract(addedBefore).max(BigDecimal.ZERO)
                        : BigDecimal.ZERO;
                spend = new Spend(c.start(), spent, addedSince);
            }
            // in force once the spend it is held against is current
            limit = read;
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Spending limit: refresh failed, the last limit and spend read stay in force (%s)", e.getMessage());
        }
    }

    private BigDecimal spent(Cycle c) {
        Spend s = spend;
        // a new cycle starts from what this replica recorded in it until the next refresh reads the ledger
        return s.cycleStart().equals(c.start()) ? s.fromLedger().add(s.sinceRead()) : BigDecimal.ZERO;
    }

    /**
     * The limit in force: the one an operator stored (empty when they removed it), else the
     * configured one. Throws when the store cannot be read, so that the caller keeps what it had.
     */
    private Optional<BigDecimal> readLimit() {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT amount FROM spending_limit WHERE id = 1");
                ResultSet r = s.executeQuery()) {
            return r.next()
                    ? Optional.ofNullable(r.getBigDecimal(1))
                    : config.billing().spendingLimit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored limit: " + e.getMessage(), e);
        }
    }
}
