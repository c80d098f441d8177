package dev.azinfer.metering;

import dev.azinfer.api.ApiException;
import dev.azinfer.deployments.StoreDatabase;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The usage ledger: one row per request, committed before the request's answer completes (the
 * last bytes of a stream wait for it), so a response the client received is never missing from
 * it. Writes are batched by one writer thread, so the event loop never blocks on the database.
 * Each request settles once ({@code Metered}); the request id is also unique in the table.
 */
// made at start: its first reads of the database must not happen on a request's event loop
@io.quarkus.runtime.Startup
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final int BATCH = 256;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    private record Pending(UsageRecord record, CompletableFuture<Void> done) {}

    private final StoreDatabase db;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    public UsageLedger(StoreDatabase db) {
        this.db = db;
        this.writer = new Thread(this::writeLoop, "usage-ledger");
        writer.setDaemon(true);
        writer.start();
    }

    /** Completes once the record is committed (or failed to be: then it is logged, and the request is not held up). */
    public Uni<Void> record(UsageRecord record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(record, done));
        Uni<Void> committed = Uni.createFrom().completionStage(done);
        // the request goes on where it was (its event loop), not on the one writer thread
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return context == null ? committed : committed.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Group commit: each commit of the embedded store rewrites its changed pages, which cost most of
     * a core at a commit per request; waiting up to {@link #GATHER_NANOS} for more records makes one
     * commit serve many requests.
     */
    private void gather(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (batch.size() < BATCH) {
            queue.drainTo(batch, BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (left <= 0 || batch.size() >= BATCH) {
                return;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void write(List<Pending> batch) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO usage_record (request_id, occurred_at, usage_day,"
                            + " key_id, deployment, model, model_version, prompt_tokens, completion_tokens, cost, status, outcome)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (Pending p : batch) {
                    if (seen.add(p.record().requestId())) {
                        bind(s, p.record());
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            c.commit();
            batch.forEach(p -> p.done().complete(null));
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("Usage ledger: %d records could not be written (%s)", batch.size(), e.getMessage());
            batch.forEach(p -> p.done().complete(null));
        }
    }

    private static void bind(PreparedStatement s, UsageRecord r) throws SQLException {
        s.setString(1, r.requestId());
        s.setObject(2, r.at().atOffset(ZoneOffset.UTC));
        s.setObject(3, r.at().atOffset(ZoneOffset.UTC).toLocalDate());
        s.setString(4, r.keyId());
        s.setString(5, r.deployment());
        s.setString(6, r.model());
        s.setString(7, r.modelVersion());
        s.setLong(8, r.promptTokens());
        s.setLong(9, r.completionTokens());
        s.setBigDecimal(10, r.cost());
        s.setInt(11, r.status());
        s.setString(12, r.outcome());
    }

    /** The cost of everything recorded in {@code [from, to)}. */
    public BigDecimal spent(Instant from, Instant to) {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT COALESCE(SUM(cost), 0) FROM usage_record WHERE occurred_at >= ? AND occurred_at < ?")) {
            s.setObject(1, from.atOffset(ZoneOffset.UTC));
            s.setObject(2, to.atOffset(ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Totals over {@code [from, to)} grouped by the given columns (day, deployment, model, key), in column order. */
    public List<Map<String, Object>> totals(Instant from, Instant to, List<UsageGrouping> groups) {
        String columns = groups.stream()
                .map(UsageGrouping::column)
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        String select = "SELECT " + (columns.isEmpty() ? "" : columns + ", ")
                + "COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost), 0)"
                + " FROM usage_record WHERE occurred_at >= ? AND occurred_at < ?"
                + (columns.isEmpty() ? "" : " GROUP BY " + columns + " ORDER BY " + columns);
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(select)) {
            s.setObject(1, from.atOffset(ZoneOffset.UTC));
            s.setObject(2, to.atOffset(ZoneOffset.UTC));
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    int i = 1;
                    for (UsageGrouping g : groups) {
                        row.put(g.field(), r.getObject(i++).toString());
                    }
                    row.put("requests", r.getLong(i++));
                    row.put("promptTokens", r.getLong(i++));
                    row.put("completionTokens", r.getLong(i++));
                    row.put("cost", r.getBigDecimal(i).stripTrailingZeros().toPlainString());
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static ApiException unavailable(SQLException e) {
        LOG.errorf("Usage ledger: %s", e.getMessage());
        return new ApiException(503, "store_unavailable", "The usage ledger cannot be read now; retry shortly.");
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(5000);
    }
}
