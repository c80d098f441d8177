package dev.azinfer.api;

import dev.azinfer.api.model.DeploymentList;
import dev.azinfer.routing.DeploymentRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * ListDeployments: the deployments the key may use, so that the connector can offer them as a
 * drop-down. Served under {@code /models} too, since a connection's URL may end with it.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentListResource {

    private final DeploymentRegistry registry;

    public DeploymentListResource(DeploymentRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("model-deployments")
    @Operation(
            operationId = "ListDeployments",
            summary = "List deployments",
            description =
                    "Lists the model deployments this endpoint serves, with the model behind each. Used by the connector to offer the deployments as choices.")
    @APIResponse(
            responseCode = "200",
            description = "The deployments.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DeploymentList.class)))
    public DeploymentList listDeployments() {
        return new DeploymentList(registry.all().stream()
                .map(d -> new DeploymentList.DeploymentSummary(
                        d.name(),
                        d.info().modelName(),
                        d.info().modelType(),
                        d.info().modelProviderName()))
                .toList());
    }

    @GET
    @Path("models/model-deployments")
    @Operation(hidden = true)
    public DeploymentList listDeploymentsUnderModels() {
        return listDeployments();
    }
}
