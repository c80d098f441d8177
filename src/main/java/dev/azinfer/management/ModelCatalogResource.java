package dev.azinfer.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.azinfer.deployments.ModelCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/** The model catalog, listed the way Azure lists an account's models: {@code {"value":[{"model":{...}}]}}. */
// at the root like the inference resources: a class at /models would capture /models/info and
// /models/chat/completions, since JAX-RS picks the root class before looking at methods
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ModelCatalogResource {

    private final ModelCatalog catalog;
    private final Clock clock;

    public ModelCatalogResource(ModelCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Schema(name = "CatalogModelList", description = "The models and versions deployments can be made of.")
    public record ModelList(@Schema(required = true) List<Item> value) {}

    @Schema(name = "CatalogModelItem")
    public record Item(@Schema(required = true) Model model) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CatalogModel", description = "A model version and its lifecycle.")
    public record Model(
            @Schema(description = "The model's format (publisher family).", required = true)
            String format,

            @Schema(description = "The model name.", required = true)
            String name,

            @Schema(description = "The version.", required = true)
            String version,

            @Schema(description = "Whether this is the model's default version.", required = true)
            boolean isDefaultVersion,

            @Schema(description = "What the model does.") Map<String, String> capabilities,

            @Schema(description = "GenerallyAvailable, or Deprecated once retired.", required = true)
            String lifecycleStatus,

            @Schema(description = "When the version retires: inference stops for deployments that do not upgrade.")
            Deprecation deprecation,

            @Schema(description = "When the version became the default (yyyy-mm-dd).")
            String defaultSince) {}

    public record Deprecation(
            @Schema(description = "The retirement date (yyyy-mm-dd).")
            String inference) {}

    @GET
    @Path("models")
    @Operation(
            operationId = "ListModels",
            summary = "List models",
            description =
                    "Lists the model catalog: every model version deployments can be made of, with its default flag and lifecycle dates. Takes an admin key.")
    @APIResponse(
            responseCode = "200",
            description = "The catalog.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ModelList.class)))
    public ModelList listModels(
            @Parameter(description = "The management API version, 2023-05-01 or later.", required = true)
                    @RestQuery("api-version")
                    String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        LocalDate today = LocalDate.now(clock);
        return new ModelList(catalog.entries().stream()
                .map(e -> new Item(new Model(
                        e.format(),
                        e.name(),
                        e.version(),
                        e.isDefaultVersion(),
                        e.capabilities().stream()
                                .collect(Collectors.toMap(c -> c, c -> "true", (a, b) -> a, java.util.TreeMap::new)),
                        e.retiredOn(today) ? "Deprecated" : "GenerallyAvailable",
                        e.retirementDate()
                                .map(d -> new Deprecation(d.toString()))
                                .orElse(null),
                        e.defaultSince().map(LocalDate::toString).orElse(null))))
                .toList());
    }
}
