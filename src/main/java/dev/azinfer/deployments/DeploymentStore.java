package dev.azinfer.deployments;

import dev.azinfer.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Deployments, their routes and history in the database. Every change is one transaction that
 * also writes its history entry and bumps the store revision (which other replicas poll), and an
 * update only applies while the row still has the etag it was read with, so two writers never
 * silently overwrite each other.
 */
@ApplicationScoped
public class DeploymentStore {

    /** The write found the row changed (or gone, or already there) since it was read. */
    public static final class ConflictException extends ApiException {
        ConflictException(String message) {
            super(409, "Conflict", message);
        }
    }

    private static final Logger LOG = Logger.getLogger(DeploymentStore.class);
    private static final String COLUMNS = "name_key, name, sku_name, capacity, model_format, model_name, model_version,"
            + " version_upgrade_option, source, provisioning_state, etag, created_at, created_by, modified_at, modified_by,"
            + " previous_sku_name, previous_capacity, previous_model_format, previous_model_name, previous_model_version,"
            + " previous_version_upgrade_option, previous_source";

    private final StoreDatabase db;

    public DeploymentStore(StoreDatabase db) {
        this.db = db;
    }

    public long revision() {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT revision FROM store_revision WHERE id = 1");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    public List<DeploymentSpec> all() {
        return read(c -> select(c, null));
    }

    /** The deployments a migration is under way on ({@code Updating}): usually none, found without reading the others. */
    public List<DeploymentSpec> updating() {
        return read(c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement("SELECT name_key FROM deployment WHERE provisioning_state = ?")) {
                s.setString(1, DeploymentSpec.UPDATING);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        keys.add(r.getString(1));
                    }
                }
            }
            List<DeploymentSpec> out = new ArrayList<>();
            for (String key : keys) {
                out.addAll(select(c, key));
            }
            return out;
        });
    }

    public Optional<DeploymentSpec> find(String name) {
        return read(c -> select(c, DeploymentSpec.key(name))).stream().findFirst();
    }

    /** The deployments with their routes: all of them, or the one whose key is given. */
    private static List<DeploymentSpec> select(Connection c, String key) throws SQLException {
        Map<String, List<Route>> routes = routes(c, key);
        List<DeploymentSpec> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM deployment"
                + (key == null ? "" : " WHERE name_key = ?") + " ORDER BY name_key")) {
            if (key != null) {
                s.setString(1, key);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(spec(r, routes.getOrDefault(r.getString("name_key"), List.of())));
                }
            }
        }
        return out;
    }

    public List<HistoryEntry> history(String name) {
        return read(c -> {
            List<HistoryEntry> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT occurred_at, event, actor, detail FROM deployment_history WHERE name_key = ? ORDER BY id")) {
                s.setString(1, DeploymentSpec.key(name));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new HistoryEntry(instant(r, 1), r.getString(2), r.getString(3), r.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** Adds a deployment; {@link ConflictException} when the name is taken. */
    public void insert(DeploymentSpec d, String event, String detail) {
        write(c -> {
            insertRow(c, d);
            history(c, d.key(), d.modifiedAt(), event, d.modifiedBy(), detail);
            return null;
        });
    }

    /** Replaces a deployment read with {@code expectedEtag}; {@link ConflictException} when it changed since. */
    public void update(DeploymentSpec d, String expectedEtag, String event, String detail) {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE deployment SET sku_name = ?, capacity = ?,"
                    + " model_format = ?, model_name = ?, model_version = ?, version_upgrade_option = ?, source = ?,"
                    + " provisioning_state = ?, etag = ?, modified_at = ?, modified_by = ?,"
                    + " previous_sku_name = ?, previous_capacity = ?, previous_model_format = ?,"
                    + " previous_model_name = ?, previous_model_version = ?,"
                    + " previous_version_upgrade_option = ?, previous_source = ?"
                    + " WHERE name_key = ? AND etag = ?")) {
                s.setString(1, d.skuName());
                s.setInt(2, d.capacity());
                s.setString(3, d.model().format());
                s.setString(4, d.model().name());
                s.setString(5, d.model().version());
                s.setString(6, d.versionUpgradeOption());
                s.setString(7, d.source().name());
                s.setString(8, d.provisioningState());
                s.setString(9, d.etag());
                s.setObject(10, time(d.modifiedAt()));
                s.setString(11, d.modifiedBy());
                setPrevious(s, 12, d.previous());
                s.setString(19, d.key());
                s.setString(20, expectedEtag);
                changedOne(s, d.name());
            }
            replaceRoutes(c, d);
            history(c, d.key(), d.modifiedAt(), event, d.modifiedBy(), detail);
            return null;
        });
    }

    /** Removes a deployment read with {@code expectedEtag}; {@link ConflictException} when it changed or is a route target. */
    public void delete(DeploymentSpec d, String expectedEtag, Instant at, String actor) {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name_key FROM deployment_route WHERE target_key = ? AND name_key <> ?")) {
                s.setString(1, d.key());
                s.setString(2, d.key());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        throw new ConflictException("The deployment '" + d.name()
                                + "' still receives traffic routed from '" + r.getString(1)
                                + "'. Set that route's weight to 0 first.");
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM deployment WHERE name_key = ? AND etag = ?")) {
                s.setString(1, d.key());
                s.setString(2, expectedEtag);
                changedOne(s, d.name());
            }
            history(c, d.key(), at, "Deleted", actor, "deleted " + d.model());
            return null;
        });
    }

    /**
     * Seeds deployments from the configuration: each name once in the life of the store, so a
     * configured deployment deleted through the API is not brought back by the next start.
     */
    public List<String> seed(List<DeploymentSpec> configured) {
        return write(c -> {
            List<String> seeded = new ArrayList<>();
            for (DeploymentSpec d : configured) {
                if (exists(c, "SELECT 1 FROM seeded_config WHERE name_key = ?", d.key())) {
                    continue;
                }
                try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO seeded_config (name_key, seeded_at) VALUES (?, ?)")) {
                    s.setString(1, d.key());
                    s.setObject(2, time(d.createdAt()));
                    s.executeUpdate();
                }
                if (!exists(c, "SELECT 1 FROM deployment WHERE name_key = ?", d.key())) {
                    insertRow(c, d);
                    history(c, d.key(), d.createdAt(), "Created", d.createdBy(), "seeded from the configuration file");
                    seeded.add(d.name());
                }
            }
            return seeded;
        });
    }

    private void insertRow(Connection c, DeploymentSpec d) throws SQLException {
        if (exists(c, "SELECT 1 FROM deployment WHERE name_key = ?", d.key())) {
            throw new ConflictException("The deployment '" + d.name() + "' already exists.");
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO deployment (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, d.key());
            s.setString(2, d.name());
            s.setString(3, d.skuName());
            s.setInt(4, d.capacity());
            s.setString(5, d.model().format());
            s.setString(6, d.model().name());
            s.setString(7, d.model().version());
            s.setString(8, d.versionUpgradeOption());
            s.setString(9, d.source().name());
            s.setString(10, d.provisioningState());
            s.setString(11, d.etag());
            s.setObject(12, time(d.createdAt()));
            s.setString(13, d.createdBy());
            s.setObject(14, time(d.modifiedAt()));
            s.setString(15, d.modifiedBy());
            setPrevious(s, 16, d.previous());
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ConflictException("The deployment '" + d.name() + "' already exists.");
            }
            throw e;
        }
        replaceRoutes(c, d);
    }

    private static void replaceRoutes(Connection c, DeploymentSpec d) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM deployment_route WHERE name_key = ?")) {
            s.setString(1, d.key());
            s.executeUpdate();
        }
        for (Route route : d.routes()) {
            if (!exists(c, "SELECT 1 FROM deployment WHERE name_key = ?", DeploymentSpec.key(route.deployment()))) {
                throw new ConflictException("The route target '" + route.deployment() + "' no longer exists.");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO deployment_route (name_key, target_key, weight) VALUES (?, ?, ?)")) {
                s.setString(1, d.key());
                s.setString(2, DeploymentSpec.key(route.deployment()));
                s.setInt(3, route.weight());
                s.executeUpdate();
            }
        }
    }

    private static Map<String, List<Route>> routes(Connection c, String key) throws SQLException {
        Map<String, List<Route>> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT r.name_key, d.name, r.weight FROM deployment_route r"
                + " JOIN deployment d ON d.name_key = r.target_key"
                + (key == null ? "" : " WHERE r.name_key = ?") + " ORDER BY r.name_key, r.target_key")) {
            if (key != null) {
                s.setString(1, key);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new Route(r.getString(2), r.getInt(3)));
                }
            }
        }
        return out;
    }

    private static DeploymentSpec spec(ResultSet r, List<Route> routes) throws SQLException {
        return new DeploymentSpec(
                r.getString("name"),
                r.getString("sku_name"),
                r.getInt("capacity"),
                new ModelRef(r.getString("model_format"), r.getString("model_name"), r.getString("model_version")),
                r.getString("version_upgrade_option"),
                DeploymentSpec.Source.valueOf(r.getString("source")),
                r.getString("provisioning_state"),
                r.getString("etag"),
                instant(r, r.findColumn("created_at")),
                r.getString("created_by"),
                instant(r, r.findColumn("modified_at")),
                r.getString("modified_by"),
                routes,
                previous(r));
    }

    private static DeploymentSpec.Previous previous(ResultSet r) throws SQLException {
        String source = r.getString("previous_source");
        if (source == null) {
            return null;
        }
        return new DeploymentSpec.Previous(
                r.getString("previous_sku_name"),
                r.getInt("previous_capacity"),
                new ModelRef(
                        r.getString("previous_model_format"),
                        r.getString("previous_model_name"),
                        r.getString("previous_model_version")),
                r.getString("previous_version_upgrade_option"),
                DeploymentSpec.Source.valueOf(source));
    }

    /** The seven previous_* columns, from {@code first} on; all null when no migration is under way. */
    private static void setPrevious(PreparedStatement s, int first, DeploymentSpec.Previous p) throws SQLException {
        s.setString(first, p == null ? null : p.skuName());
        if (p == null) {
            s.setNull(first + 1, java.sql.Types.INTEGER);
        } else {
            s.setInt(first + 1, p.capacity());
        }
        s.setString(first + 2, p == null ? null : p.model().format());
        s.setString(first + 3, p == null ? null : p.model().name());
        s.setString(first + 4, p == null ? null : p.model().version());
        s.setString(first + 5, p == null ? null : p.versionUpgradeOption());
        s.setString(first + 6, p == null ? null : p.source().name());
    }

    private static void history(Connection c, String key, Instant at, String event, String actor, String detail)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO deployment_history (name_key, occurred_at, event, actor, detail) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, key);
            s.setObject(2, time(at));
            s.setString(3, event);
            s.setString(4, actor);
            s.setString(5, detail.length() > 2000 ? detail.substring(0, 2000) : detail);
            s.executeUpdate();
        }
    }

    private static void changedOne(PreparedStatement s, String name) throws SQLException {
        if (s.executeUpdate() != 1) {
            throw new ConflictException("The deployment '" + name + "' was changed or deleted by another request.");
        }
    }

    private static boolean exists(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static OffsetDateTime time(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        return r.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static ApiException unavailable(SQLException e) {
        LOG.errorf("Deployment store: %s (SQL state %s)", e.getMessage(), e.getSQLState());
        return new ApiException(
                503,
                "store_unavailable",
                "The deployment store cannot be reached; nothing was changed. Retry shortly.",
                null,
                Map.of("Retry-After", "5"));
    }

    private <T> T read(StoreDatabase.Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private <T> T write(StoreDatabase.Work<T> work) {
        try {
            return db.transaction(c -> {
                // taken first: writers queue on this row, and replicas see the new revision
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE store_revision SET revision = revision + 1 WHERE id = 1")) {
                    s.executeUpdate();
                }
                return work.run(c);
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }
}
