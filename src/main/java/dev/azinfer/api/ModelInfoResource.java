package dev.azinfer.api;

import dev.azinfer.api.model.ModelInfo;
import dev.azinfer.routing.DeploymentRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * GetModelInfo. The deployment is the {@code model} query parameter (2025-04-01), else the
 * {@code azureml-model-deployment} header, else the default deployment.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ModelInfoResource {

    private final DeploymentRegistry registry;

    public ModelInfoResource(DeploymentRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("info")
    public ModelInfo getModelInfo(
            @RestQuery("api-version") String apiVersion,
            @RestQuery("model") String model,
            @RestHeader(ChatCompletionsResource.DEPLOYMENT_HEADER) String deployment) {
        ApiVersions.require(apiVersion);
        return registry.resolve(model != null && !model.isBlank() ? model : deployment)
                .info();
    }

    @GET
    @Path("models/info")
    public ModelInfo getModelInfoUnderModels(
            @RestQuery("api-version") String apiVersion,
            @RestQuery("model") String model,
            @RestHeader(ChatCompletionsResource.DEPLOYMENT_HEADER) String deployment) {
        return getModelInfo(apiVersion, model, deployment);
    }
}
