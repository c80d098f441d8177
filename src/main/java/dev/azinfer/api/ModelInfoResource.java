package dev.azinfer.api;

import dev.azinfer.api.model.ModelInfo;
import dev.azinfer.routing.DeploymentRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @Operation(
            operationId = "GetModelInfo",
            summary = "Get model info",
            description =
                    "Returns the name, type and provider of the model behind a deployment: the one named by model or by the azureml-model-deployment header, else the default deployment.")
    @APIResponse(
            responseCode = "200",
            description = "The model behind the deployment.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ModelInfo.class)))
    public ModelInfo getModelInfo(
            @Parameter(
                            description = ApiDocs.API_VERSION,
                            required = true,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {
                                                ApiVersions.V2024_05_01_PREVIEW,
                                                ApiVersions.V2024_08_01_PREVIEW,
                                                ApiVersions.V2025_04_01
                                            },
                                            defaultValue = ApiVersions.DEFAULT))
                    @RestQuery("api-version")
                    String apiVersion,
            @Parameter(
                            description =
                                    "The deployment to describe. Empty: the one named by azureml-model-deployment, else the service's default deployment (the one its operator set, or its only one).")
                    @RestQuery("model")
                    String model,
            @Parameter(description = ApiDocs.DEPLOYMENT_HEADER) @RestHeader(ChatCompletionsResource.DEPLOYMENT_HEADER)
                    String deployment) {
        ApiVersions.require(apiVersion);
        return registry.resolve(model != null && !model.isBlank() ? model : deployment)
                .info();
    }

    @GET
    @Path("models/info")
    @Operation(hidden = true)
    public ModelInfo getModelInfoUnderModels(
            @RestQuery("api-version") String apiVersion,
            @RestQuery("model") String model,
            @RestHeader(ChatCompletionsResource.DEPLOYMENT_HEADER) String deployment) {
        return getModelInfo(apiVersion, model, deployment);
    }
}
