package dev.azinfer.deployments;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A share, in percent, of the requests naming one deployment that another deployment serves. */
@Schema(name = "DeploymentRoute")
public record Route(
        @Schema(description = "The deployment that serves this share.", required = true)
        String deployment,

        @Schema(description = "The share, in percent (0 to 100).", required = true)
        int weight) {}
