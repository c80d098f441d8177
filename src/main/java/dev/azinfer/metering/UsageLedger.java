package dev.azinfer.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.CallerContext;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.StoreDatabase;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The usage ledger: one row per request. A request's record is in the journal ({@link
 * UsageJournal}) before its answer completes (the last bytes of a stream wait for it), so a
 * response the client received is never missing from the ledger, even if the process is killed
 * right after. Records move from the journal into the database once a second, in one transaction
 * per batch together with how far the journal was moved, so each is written exactly once; reads
 * move what is pending first, so they see every request this replica answered. Each request
 * settles once ({@code Metered}).
 */
// made at start: it moves what a stopped process left in the journal before anything reads the ledger
@io.quarkus.runtime.Startup
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final String INSERT = "INSERT INTO usage_record (request_id, occurred_at, usage_day,"
            + " key_id, deployment, model, model_version, prompt_tokens, completion_tokens, cost, status, outcome)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final StoreDatabase db;
    private final UsageJournal journal;
    private final Map<String, Long> moved = new HashMap<>();
    private final ScheduledExecutorService mover;

    public UsageLedger(StoreDatabase db, ServiceConfig config, ObjectMapper json) {
        this.db = db;
        this.mover = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "usage-ledger");
            t.setDaemon(true);
            return t;
        });
        this.journal = new UsageJournal(
                config.store().ledgerDir().orElse(config.dataDir().resolve("ledger")),
                json,
                config.store().ledgerSegmentBytes(),
                this::insert,
                mover);
        moveNow();
        long every = config.store().ledgerInterval().toMillis();
        mover.scheduleWithFixedDelay(this::moveNow, every, every, TimeUnit.MILLISECONDS);
    }

    /** Completes once the record is in the journal (or, if that failed, in the database). */
    public Uni<Void> record(UsageRecord record) {
        return CallerContext.await(journal.append(record));
    }

    /**
     * Moves what the journal holds into the database: this process's records, and what stopped
     * processes left. A failure (the database is down) leaves the records in the journal for the
     * next try.
     */
    synchronized void moveNow() {
        try {
            journal.sync();
            for (UsageJournal.Orphan orphan : journal.orphans()) {
                try (orphan) {
                    for (UsageJournal.Segment s : orphan.segments()) {
                        long stored = storedOffset(s.name());
                        long from = move(s, stored, reached -> {});
                        if (from > stored) {
                            LOG.infof(
                                    "Usage ledger: moved %d bytes of records that a stopped process left in %s",
                                    from - stored, s.name());
                        }
                        if (from < s.readable()) {
                            LOG.warnf(
                                    "Usage ledger: %d bytes at the end of %s were cut short when its process stopped; skipped",
                                    s.readable() - from, s.name());
                        }
                        retire(s);
                    }
                }
            }
            for (UsageJournal.Segment s : journal.own()) {
                long to = move(s, moved.getOrDefault(s.name(), 0L), reached -> moved.put(s.name(), reached));
                if (s.closed() && to >= s.readable()) {
                    retire(s);
                    moved.remove(s.name());
                }
            }
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf("Usage ledger: moving records from the journal failed, will retry (%s)", e.getMessage());
        }
    }

    /**
     * Moves a segment's records from {@code from} on, a chunk per transaction; answers the offset
     * reached. Each committed chunk's end goes to {@code committed} at once: when a later chunk
     * fails, the next try starts after the chunks already in the database, not before them.
     */
    private long move(UsageJournal.Segment segment, long from, java.util.function.LongConsumer committed)
            throws IOException, SQLException {
        long at = from;
        while (true) {
            UsageJournal.Chunk chunk = journal.read(segment, at);
            if (chunk.records().isEmpty()) {
                return at;
            }
            db.transaction(c -> {
                insert(c, chunk.records());
                storeOffset(c, segment.name(), chunk.end());
                return null;
            });
            at = chunk.end();
            committed.accept(at);
        }
    }

    private long storedOffset(String segment) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT moved FROM usage_journal WHERE segment = ?")) {
            s.setString(1, segment);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static void storeOffset(Connection c, String segment, long offset) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE usage_journal SET moved = ? WHERE segment = ?")) {
            u.setLong(1, offset);
            u.setString(2, segment);
            if (u.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement i = c.prepareStatement("INSERT INTO usage_journal (segment, moved) VALUES (?, ?)")) {
            i.setString(1, segment);
            i.setLong(2, offset);
            i.executeUpdate();
        }
    }

    /** A segment wholly moved: the file goes first, so a crash in between cannot move it twice. */
    private void retire(UsageJournal.Segment segment) throws IOException, SQLException {
        Files.deleteIfExists(segment.file());
        try (Connection c = db.connection();
                PreparedStatement d = c.prepareStatement("DELETE FROM usage_journal WHERE segment = ?")) {
            d.setString(1, segment.name());
            d.executeUpdate();
        }
    }

    /** Records the journal could not take, straight into the database. */
    private void insert(List<UsageRecord> records) {
        try {
            db.transaction(c -> {
                insert(c, records);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Inserts the records and adds them to their totals; in the caller's transaction. */
    static void insert(Connection c, List<UsageRecord> records) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (UsageRecord r : records) {
                bind(s, r);
                s.addBatch();
            }
            s.executeBatch();
        }
        UsageTotals.add(c, records);
    }

    private static void bind(PreparedStatement s, UsageRecord r) throws SQLException {
        // to the columns' widths, as its total has them: a record the database refuses would hold
        // back every record after it
        UsageTotals.Group g = UsageTotals.Group.of(r);
        s.setString(1, UsageTotals.fit(r.requestId(), 64));
        s.setObject(2, r.at().atOffset(ZoneOffset.UTC));
        s.setObject(3, g.day());
        s.setString(4, g.keyId());
        s.setString(5, g.deployment());
        s.setString(6, g.model());
        s.setString(7, g.version());
        s.setLong(8, r.promptTokens());
        s.setLong(9, r.completionTokens());
        s.setBigDecimal(10, UsageTotals.cost(r));
        s.setInt(11, g.status());
        s.setString(12, g.outcome());
    }

    /** The cost of everything recorded on the UTC days {@code [from, to)}. */
    public BigDecimal spent(LocalDate from, LocalDate to) {
        moveNow();
        try (Connection c = db.connection()) {
            return UsageTotals.spent(c, from, to);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Totals over the UTC days {@code [from, to)} grouped by the given columns, in column order. */
    public List<Map<String, Object>> totals(LocalDate from, LocalDate to, List<UsageGrouping> groups) {
        moveNow();
        try (Connection c = db.connection()) {
            return UsageTotals.report(c, from, to, groups);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static ApiException unavailable(SQLException e) {
        LOG.errorf("Usage ledger: %s", e.getMessage());
        return new ApiException(503, "store_unavailable", "The usage ledger cannot be read now; retry shortly.");
    }

    /**
     * On the way out, while the database is still open: the journal is closed and moved in whole,
     * so a clean stop leaves nothing for the next start. Requests still ending meanwhile are
     * written to the database directly.
     */
    void onStop(@Observes ShutdownEvent event) {
        journal.stopWriting();
        moveNow();
    }

    /** Waits for those direct writes, then gives up the journal's lock. */
    @PreDestroy
    void stop() throws IOException, InterruptedException {
        mover.shutdown();
        mover.awaitTermination(10, TimeUnit.SECONDS);
        journal.close();
    }
}
