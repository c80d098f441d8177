package dev.azinfer.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The deployments a key may use, for the connector's drop-down of models. */
@Schema(description = "The deployments this endpoint serves.")
public record DeploymentList(
        @Schema(description = "The deployments.", required = true)
        List<DeploymentSummary> value) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A deployment: the name to send as model, and the model behind it.")
    public record DeploymentSummary(
            @Schema(description = "The deployment name; send it as model.", required = true)
            String name,

            @Schema(description = "The name of the model behind the deployment.", required = true)
            String modelName,

            @Schema(description = "The type of the model.", required = true)
            String modelType,

            @Schema(description = "The provider of the model.", required = true)
            String modelProviderName) {}
}
