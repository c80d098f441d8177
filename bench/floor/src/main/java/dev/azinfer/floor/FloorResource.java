package dev.azinfer.floor;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.flywaydb.core.Flyway;

/**
 * BENCHMARK TOOL: the whole of the start-up floor's application. At start it migrates one table into
 * an H2 file, as the service does its store; it answers one JSON document, after validating one
 * query parameter; a job runs every 2 s, as the service's store refresh does.
 */
@Path("/info")
public class FloorResource {

    public record Info(String model_name, String model_type) {}

    void migrate(@Observes StartupEvent start, javax.sql.DataSource store) {
        Flyway.configure().dataSource(store).load().migrate();
    }

    @GET
    public Info info(@QueryParam("api-version") @NotBlank String apiVersion) {
        return new Info("floor", "chat-completion");
    }

    @Scheduled(every = "2s")
    void refresh() {}
}
