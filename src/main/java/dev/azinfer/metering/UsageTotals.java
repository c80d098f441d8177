package dev.azinfer.metering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The ledger's totals ({@code usage_total}): per UTC day and per deployment, model, version, key,
 * outcome and status, so that every report the usage API offers, and a cycle's spend, reads a
 * row per day and group instead of every record. Records are added in the transaction that
 * inserts them, so the totals are exactly the records' sums.
 */
final class UsageTotals {

    /** The columns a total is kept per: {@code usage_day}, then the record's own, as {@link Group} orders them. */
    private static final String ADD =
            "UPDATE usage_total SET requests = requests + ?, prompt_tokens = prompt_tokens + ?,"
                    + " completion_tokens = completion_tokens + ?, cost = cost + ? WHERE usage_day = ? AND deployment = ?"
                    + " AND model = ? AND model_version = ? AND key_id = ? AND outcome = ? AND status = ?";

    private static final String NEW = "INSERT INTO usage_total (requests, prompt_tokens, completion_tokens, cost,"
            + " usage_day, deployment, model, model_version, key_id, outcome, status)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** SQLSTATE of a duplicate key, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** What a total is kept per: the record's values as their columns (in both tables) hold them. */
    record Group(
            LocalDate day, String deployment, String model, String version, String keyId, String outcome, int status) {

        /** The order totals are written in: replicas adding to the same totals lock them alike, and cannot deadlock. */
        static final Comparator<Group> ORDER = Comparator.comparing(Group::day)
                .thenComparing(Group::deployment)
                .thenComparing(Group::model)
                .thenComparing(Group::version)
                .thenComparing(Group::keyId)
                .thenComparing(Group::outcome)
                .thenComparingInt(Group::status);

        static Group of(UsageRecord r) {
            return new Group(
                    UsageTotals.day(r.at()),
                    fit(r.deployment(), 255),
                    fit(r.model(), 128),
                    fit(r.modelVersion(), 64),
                    fit(r.keyId(), 64),
                    fit(r.outcome(), 16),
                    r.status());
        }
    }

    /** What is added to a group's total. */
    private record Sums(long requests, long promptTokens, long completionTokens, BigDecimal cost) {
        static Sums of(UsageRecord r) {
            return new Sums(1, r.promptTokens(), r.completionTokens(), UsageTotals.cost(r));
        }

        Sums plus(Sums o) {
            return new Sums(
                    requests + o.requests,
                    promptTokens + o.promptTokens,
                    completionTokens + o.completionTokens,
                    cost.add(o.cost));
        }
    }

    private UsageTotals() {}

    /**
     * Adds the records to their totals, in the caller's transaction. A group's first records make
     * its row; when another replica made it meanwhile, that insert fails on the key (rolled back to
     * before it, the transaction goes on) and the records are added to that row.
     */
    static void add(Connection c, List<UsageRecord> records) throws SQLException {
        Map<Group, Sums> totals = new TreeMap<>(Group.ORDER);
        for (UsageRecord r : records) {
            totals.merge(Group.of(r), Sums.of(r), Sums::plus);
        }
        try (PreparedStatement add = c.prepareStatement(ADD)) {
            for (Map.Entry<Group, Sums> total : totals.entrySet()) {
                bind(add, total.getKey(), total.getValue());
                if (add.executeUpdate() > 0) {
                    continue;
                }
                Savepoint before = c.setSavepoint();
                try (PreparedStatement made = c.prepareStatement(NEW)) {
                    bind(made, total.getKey(), total.getValue());
                    made.executeUpdate();
                    // released at once: PostgreSQL slows down past 64 open subtransactions
                    c.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(before);
                    if (add.executeUpdate() == 0) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void bind(PreparedStatement s, Group g, Sums sums) throws SQLException {
        s.setLong(1, sums.requests());
        s.setLong(2, sums.promptTokens());
        s.setLong(3, sums.completionTokens());
        s.setBigDecimal(4, sums.cost());
        s.setObject(5, g.day());
        s.setString(6, g.deployment());
        s.setString(7, g.model());
        s.setString(8, g.version());
        s.setString(9, g.keyId());
        s.setString(10, g.outcome());
        s.setInt(11, g.status());
    }

    /** The cost of the UTC days {@code [from, to)}. */
    static BigDecimal spent(Connection c, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(SUM(cost), 0) FROM usage_total WHERE usage_day >= ? AND usage_day < ?")) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBigDecimal(1);
            }
        }
    }

    /** The totals of the UTC days {@code [from, to)} grouped by the given columns, in column order. */
    static List<Map<String, Object>> report(Connection c, LocalDate from, LocalDate to, List<UsageGrouping> groups)
            throws SQLException {
        String columns = groups.stream().map(UsageGrouping::column).collect(Collectors.joining(", "));
        String select = "SELECT " + (columns.isEmpty() ? "" : columns + ", ")
                + "COALESCE(SUM(requests), 0), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
                + " COALESCE(SUM(cost), 0) FROM usage_total WHERE usage_day >= ? AND usage_day < ?"
                + (columns.isEmpty() ? "" : " GROUP BY " + columns + " ORDER BY " + columns);
        try (PreparedStatement s = c.prepareStatement(select)) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet r = s.executeQuery()) {
                return rows(r, groups);
            }
        }
    }

    /** A report's rows from a result of the grouped columns, then requests, tokens and cost. */
    static List<Map<String, Object>> rows(ResultSet r, List<UsageGrouping> groups) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
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
        return rows;
    }

    /** A record's cost as its column holds it, so that a total is the exact sum of its records. */
    static BigDecimal cost(UsageRecord r) {
        return r.cost().setScale(10, RoundingMode.HALF_UP);
    }

    /** The UTC day a record counts in. */
    static LocalDate day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The value cut to the column's width; an absent value as empty (the columns take no null). */
    static String fit(String value, int width) {
        if (value == null) {
            return "";
        }
        return value.length() <= width ? value : value.substring(0, width);
    }
}
