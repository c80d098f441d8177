package dev.azinfer.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.azinfer.deployments.StoreDatabase;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The totals that a billing cycle's spend and the usage reports are read from: they must equal
 * the records, however the records are batched, whichever replica writes them, and in a store
 * upgraded with records in it. Run on H2 and on PostgreSQL.
 */
abstract class UsageTotalsSuite {

    @Inject
    UsageLedger ledger;

    @Inject
    StoreDatabase db;

    /** A year no other test records in, one per database, so the sums are this suite's own. */
    abstract int year();

    /** A new, empty database of the same kind: a JDBC URL, user and password, and the schema to migrate. */
    abstract String[] emptyDatabase();

    @Test
    void a_cycles_spend_is_the_sum_of_the_records_on_its_utc_days() {
        int y = year();
        record(y + "-02-28T23:59:59.999Z", "0.1");
        record(y + "-03-01T00:00:00Z", "0.2");
        record(y + "-03-31T23:59:59.999Z", "0.3");
        record(y + "-04-01T00:00:00Z", "0.4");
        assertSpent("0.1", y + "-02-01", y + "-03-01");
        assertSpent("0.5", y + "-03-01", y + "-04-01");
        assertSpent("0.4", y + "-04-01", y + "-05-01");
        assertSpent("1.0", y + "-01-01", y + "-05-01");
    }

    @Test
    void every_report_grouping_equals_the_same_grouping_of_the_records() throws SQLException {
        int y = year();
        String day = y + "-10-0";
        record(usage(day + "1T10:00:00Z", "0.5", "report-a", "key-1", UsageRecord.COMPLETED, 200));
        record(usage(day + "1T11:00:00Z", "0.25", "report-a", "key-2", UsageRecord.FAILED, 502));
        record(usage(day + "2T09:00:00Z", "1.125", "report-b", "key-1", UsageRecord.ABANDONED, 499));
        record(usage(day + "2T09:30:00Z", "2", "report-b", "key-1", UsageRecord.ABANDONED, 499));
        LocalDate from = LocalDate.of(y, 10, 1);
        LocalDate to = LocalDate.of(y, 11, 1);
        for (List<UsageGrouping> groups : List.of(
                List.<UsageGrouping>of(),
                List.of(UsageGrouping.DAY),
                List.of(UsageGrouping.DEPLOYMENT, UsageGrouping.KEY),
                List.of(UsageGrouping.OUTCOME, UsageGrouping.STATUS, UsageGrouping.MODEL, UsageGrouping.VERSION),
                List.of(UsageGrouping.values()))) {
            List<Map<String, Object>> report = ledger.totals(from, to, groups);
            assertEquals(fromRecords(from, to, groups), report, "grouped by " + groups);
        }
        assertEquals(
                2, ledger.totals(from, to, List.of(UsageGrouping.DEPLOYMENT)).size());
        assertEquals(4L, ledger.totals(from, to, List.of()).get(0).get("requests"));
    }

    /** The report's rows, as summed over the records themselves. */
    private List<Map<String, Object>> fromRecords(LocalDate from, LocalDate to, List<UsageGrouping> groups)
            throws SQLException {
        String columns = groups.stream().map(UsageGrouping::column).collect(Collectors.joining(", "));
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT " + (columns.isEmpty() ? "" : columns + ", ")
                        + "COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost) FROM usage_record"
                        + " WHERE usage_day >= ? AND usage_day < ?"
                        + (columns.isEmpty() ? "" : " GROUP BY " + columns + " ORDER BY " + columns))) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet r = s.executeQuery()) {
                return UsageTotals.rows(r, groups);
            }
        }
    }

    @Test
    void a_move_the_store_refuses_half_way_adds_nothing_and_the_next_one_adds_everything_once() throws Exception {
        LocalDate day = LocalDate.of(year(), 12, 5);
        // the records go in, then their totals are refused: the move must leave neither behind
        execute("ALTER TABLE usage_total ADD CONSTRAINT totals_refused CHECK (cost < 1000)");
        try {
            // each refused alone too: the mover may take them in one chunk or in two
            record(usage(day + "T10:00:00Z", "1000.75"));
            record(usage(day + "T10:00:01Z", "4999"));
            ledger.moveNow();
            assertEquals(0, recordsOn(day), "a failed move inserted records");
            assertSpent("0", day.toString(), day.plusDays(1).toString());
        } finally {
            execute("ALTER TABLE usage_total DROP CONSTRAINT totals_refused");
        }
        ledger.moveNow();
        assertEquals(2, recordsOn(day));
        assertSpent("5999.75", day.toString(), day.plusDays(1).toString());
        ledger.moveNow();
        assertEquals(2, recordsOn(day), "moved twice");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long recordsOn(LocalDate day) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM usage_record WHERE usage_day = ?")) {
            s.setObject(1, day);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void costs_below_the_columns_ten_decimals_are_rounded_alike_in_records_and_days() throws SQLException {
        int y = year();
        try (Connection c = transaction()) {
            // one batch: 0.00000000004 is 0 in each record; three summed first would be 0.0000000001
            UsageLedger.insert(
                    c,
                    List.of(
                            usage(y + "-08-02T12:00:00Z", "0.00000000004"),
                            usage(y + "-08-02T13:00:00Z", "0.00000000004"),
                            usage(y + "-08-02T14:00:00Z", "0.00000000004"),
                            usage(y + "-08-03T14:00:00Z", "0.00000000005")));
            c.commit();
        }
        assertSpent("0.0000000001", y + "-08-01", y + "-09-01");
    }

    @Test
    void two_replicas_adding_a_days_first_records_at_once_both_count() throws Exception {
        LocalDate day = LocalDate.of(year(), 6, 10);
        List<UsageRecord> one = List.of(usage(day + "T10:00:00Z", "1.5"));
        List<UsageRecord> other = List.of(usage(day + "T10:00:01Z", "2.25"), usage(day + "T11:00:00Z", "1"));
        try (Connection first = transaction();
                Connection second = transaction()) {
            UsageTotals.add(first, one);
            // the second makes the same day's row while the first has made it but not committed
            CompletableFuture<Void> concurrent = CompletableFuture.runAsync(() -> {
                try {
                    UsageTotals.add(second, other);
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getSQLState() + ": " + e.getMessage(), e);
                }
            });
            Thread.sleep(300);
            first.commit();
            concurrent.get(20, TimeUnit.SECONDS);
        }
        try (Connection c = db.connection();
                PreparedStatement s =
                        c.prepareStatement("SELECT SUM(requests), SUM(cost) FROM usage_total WHERE usage_day = ?")) {
            s.setObject(1, day);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(3, r.getLong(1));
                assertEquals(
                        0,
                        new BigDecimal("4.75").compareTo(r.getBigDecimal(2)),
                        r.getBigDecimal(2).toString());
            }
        }
    }

    @Test
    void a_store_upgraded_with_records_in_it_starts_its_totals_from_them() throws Exception {
        String[] database = emptyDatabase();
        Flyway before = Flyway.configure()
                .dataSource(database[0], database[1], database[2])
                .schemas(database[3])
                .target("4")
                .load();
        before.migrate();
        try (Connection c = java.sql.DriverManager.getConnection(database[0], database[1], database[2]);
                Statement s = c.createStatement()) {
            for (String[] row : new String[][] {
                {"2030-01-31 23:00:00+00", "2030-01-31", "0.25"},
                {"2030-02-01 01:00:00+00", "2030-02-01", "0.5"},
                {"2030-02-01 02:00:00+00", "2030-02-01", "0.125"}
            }) {
                s.executeUpdate("INSERT INTO usage_record (request_id, occurred_at, usage_day, key_id, deployment,"
                        + " model, model_version, prompt_tokens, completion_tokens, cost, status, outcome) VALUES ('"
                        + UUID.randomUUID() + "', TIMESTAMP WITH TIME ZONE '" + row[0] + "', DATE '" + row[1]
                        + "', 'k', 'd', 'm', 'v', 1, 1, " + row[2] + ", 200, 'completed')");
            }
        }
        Flyway.configure()
                .dataSource(database[0], database[1], database[2])
                .schemas(database[3])
                .load()
                .migrate();
        try (Connection c = java.sql.DriverManager.getConnection(database[0], database[1], database[2]);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT usage_day, SUM(requests), SUM(cost) FROM usage_total"
                        + " GROUP BY usage_day ORDER BY usage_day")) {
            r.next();
            assertEquals(LocalDate.of(2030, 1, 31), r.getObject(1, LocalDate.class));
            assertEquals(1, r.getLong(2));
            assertEquals(0, new BigDecimal("0.25").compareTo(r.getBigDecimal(3)));
            r.next();
            assertEquals(LocalDate.of(2030, 2, 1), r.getObject(1, LocalDate.class));
            assertEquals(2, r.getLong(2));
            assertEquals(0, new BigDecimal("0.625").compareTo(r.getBigDecimal(3)));
            assertEquals(false, r.next());
        }
    }

    private void record(String at, String cost) {
        record(usage(at, cost));
    }

    private void record(UsageRecord usage) {
        ledger.record(usage).await().atMost(java.time.Duration.ofSeconds(10));
    }

    private static UsageRecord usage(String at, String cost) {
        return usage(at, cost, "totals-deployment", "totals-key", UsageRecord.COMPLETED, 200);
    }

    private static UsageRecord usage(
            String at, String cost, String deployment, String key, String outcome, int status) {
        return new UsageRecord(
                UUID.randomUUID().toString(),
                Instant.parse(at),
                key,
                deployment,
                "gpt-4o",
                "2024-08-06",
                10 + status,
                5 + status / 2,
                new BigDecimal(cost),
                status,
                outcome);
    }

    /** The spend read from the days' totals, and the same summed over the records themselves. */
    private void assertSpent(String expected, String from, String to) {
        BigDecimal spent = ledger.spent(LocalDate.parse(from), LocalDate.parse(to));
        assertEquals(0, new BigDecimal(expected).compareTo(spent), from + " to " + to + ": " + spent);
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT COALESCE(SUM(cost), 0) FROM usage_record WHERE occurred_at >= ? AND occurred_at < ?")) {
            s.setObject(1, LocalDate.parse(from).atStartOfDay().atOffset(ZoneOffset.UTC));
            s.setObject(2, LocalDate.parse(to).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(0, spent.compareTo(r.getBigDecimal(1)), "the records' own sum: " + r.getBigDecimal(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection transaction() throws SQLException {
        Connection c = db.connection();
        c.setAutoCommit(false);
        return c;
    }
}
