package dev.azinfer.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A deployment in Azure Resource Manager's shape ({@code Microsoft.CognitiveServices/accounts/deployments}). */
@Schema(name = "Deployment", description = "A model deployment, as Azure Resource Manager shows it.")
public record ArmDeployment(
        @Schema(description = "The ARM resource id.", required = true)
        String id,

        @Schema(required = true) String type,

        @Schema(description = "The deployment name, which requests send as model.", required = true)
        String name,

        @Schema(required = true) Sku sku,

        @Schema(
                description = "Changes whenever the deployment does; send it as If-Match to update safely.",
                required = true)
        String etag,

        @Schema(required = true) SystemData systemData,
        @Schema(required = true) Properties properties) {

    public static final String TYPE = "Microsoft.CognitiveServices/accounts/deployments";

    @Schema(name = "DeploymentSku")
    public record Sku(
            @Schema(description = "The deployment type, e.g. Standard or GlobalStandard.", required = true)
            String name,

            @Schema(description = "Capacity in units of 1,000 tokens per minute.", required = true)
            int capacity) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DeploymentProperties")
    public record Properties(
            @Schema(required = true) Model model,

            @Schema(
                    description =
                            "OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired, NoAutoUpgrade, or null (as OnceCurrentVersionExpired).",
                    nullable = true)
            String versionUpgradeOption,

            @Schema(
                    description = "Succeeded, Updating (an in-place migration is switching), or Failed.",
                    required = true)
            String provisioningState,

            Map<String, String> capabilities,

            @Schema(description = "The limits derived from the capacity.", required = true)
            List<RateLimit> rateLimits,

            @Schema(required = true) int currentCapacity) {}

    @Schema(name = "DeploymentModel")
    public record Model(
            @Schema(description = "The model format (publisher family), e.g. OpenAI.", required = true)
            String format,

            @Schema(description = "The model name, e.g. gpt-4o.", required = true)
            String name,

            @Schema(description = "The model version.", required = true)
            String version) {}

    @Schema(name = "DeploymentRateLimit")
    public record RateLimit(
            @Schema(description = "request or token.", required = true)
            String key,

            @Schema(description = "The window, in seconds.", required = true)
            int renewalPeriod,

            @Schema(description = "What the window allows.", required = true)
            long count) {}

    @Schema(name = "DeploymentSystemData")
    public record SystemData(
            String createdBy,
            String createdByType,
            String createdAt,
            String lastModifiedBy,
            String lastModifiedByType,
            String lastModifiedAt) {}

    /** The body of a PUT. */
    @Schema(
            name = "DeploymentPut",
            description = "What to deploy. Other ARM properties (tags, raiPolicyName) are accepted and ignored.")
    public record Put(
            @Schema(required = true) Sku sku,
            @Schema(required = true) PutProperties properties) {}

    @Schema(name = "DeploymentPutProperties")
    public record PutProperties(
            @Schema(required = true, description = "The catalog model; without version, its default version.")
            Model model,

            @Schema(
                    description = "OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired, NoAutoUpgrade, or null.",
                    nullable = true)
            String versionUpgradeOption) {}

    @Schema(name = "DeploymentList")
    public record ListResult(@Schema(required = true) List<ArmDeployment> value) {}
}
