package dev.azinfer.deployments;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.flyway.FlywayDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The database of the deployment store, migrated to the current schema before anything reads it.
 * PostgreSQL when {@code quarkus.datasource.postgresql.jdbc.url} is set (replicas share it),
 * otherwise the embedded H2 file in the data folder, which needs no server.
 */
@ApplicationScoped
public class StoreDatabase {

    static final String POSTGRESQL = "postgresql";
    private static final Logger LOG = Logger.getLogger(StoreDatabase.class);

    private final AgroalDataSource dataSource;

    public StoreDatabase(
            @Any InjectableInstance<AgroalDataSource> dataSources, @Any InjectableInstance<Flyway> flyways) {
        InjectableInstance<AgroalDataSource> postgres =
                dataSources.select(new DataSource.DataSourceLiteral(POSTGRESQL));
        boolean usePostgres = postgres.getHandle().getBean().isActive();
        String kind = usePostgres ? "PostgreSQL" : "H2";
        this.dataSource = usePostgres
                ? postgres.get()
                : dataSources
                        .select(jakarta.enterprise.inject.Default.Literal.INSTANCE)
                        .get();
        Flyway flyway = usePostgres
                ? flyways.select(FlywayDataSource.FlywayDataSourceLiteral.of(POSTGRESQL))
                        .get()
                : flyways.select(jakarta.enterprise.inject.Default.Literal.INSTANCE)
                        .get();
        var result = flyway.migrate();
        // from the migration's own result: flyway.info() connected and validated all over again
        LOG.infof(
                "Deployment store: %s, schema version %s",
                kind, result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion);
        if (result.migrationsExecuted > 0) {
            LOG.infof("Deployment store: %d schema migrations applied", result.migrationsExecuted);
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs the work in a transaction of its own: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
