package dev.azinfer.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.HttpPipeline;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.HistoryEntry;
import dev.azinfer.deployments.Route;
import dev.azinfer.routing.RequestCounts;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Deployments on the management API, in ARM's shape, under {@code /deployments} and under the full
 * ARM path ({@code /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{a}/deployments}),
 * so commands copied from Azure documentation work with only the host changed. Admin key only.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    static final String KEY_ACTOR_PREFIX = "admin key ";
    private static final String ARM = "subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
            + "/providers/Microsoft.CognitiveServices/accounts/{accountName}/";

    private final DeploymentService service;
    private final ArmView view;
    private final RequestCounts counts;
    private final ObjectMapper mapper;
    private final CurrentVertxRequest request;

    public DeploymentResource(
            DeploymentService service,
            ArmView view,
            RequestCounts counts,
            ObjectMapper mapper,
            CurrentVertxRequest request) {
        this.request = request;
        this.service = service;
        this.view = view;
        this.counts = counts;
        this.mapper = mapper;
    }

    /** The traffic routes of a deployment: the share it keeps, and what it sends to others. */
    @Schema(name = "DeploymentRouting")
    public record Routing(String deployment, int ownWeight, List<Route> routes, String etag) {}

    /**
     * Requests a deployment served, and requests that named it, over a recent window: both zero for 5
     * to 10 minutes means it is drained. The times are left out when there was none since the replica
     * started.
     */
    @Schema(name = "DeploymentRequests")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Requests(
            String deployment,
            int windowMinutes,

            @Schema(description = "Requests this deployment served in the window.")
            long requestCount,

            @Schema(description = "When it last served one.")
            String lastRequestAt,

            @Schema(
                    description =
                            "Requests that named this deployment in the window, served by it or routed to another: while above zero, clients still use the name, and deleting the deployment would fail them with 404.")
            long namedRequestCount,

            @Schema(description = "When a request last named it.")
            String lastNamedRequestAt) {}

    /** The body of a routing PUT. */
    @Schema(name = "DeploymentRoutingPut")
    public record RoutingPut(
            @Schema(
                    required = true,
                    description = "Where to send a share of the requests; an empty list keeps them all.")
            List<Route> routes) {}

    @Schema(name = "DeploymentHistory")
    public record History(List<HistoryEntry> value) {}

    @GET
    @Path("deployments")
    @Operation(
            operationId = "Deployments_List",
            summary = "List deployments",
            description =
                    "Lists the deployments with their model, capacity, rate limits and provisioning state. Takes an admin key.")
    @APIResponse(
            responseCode = "200",
            description = "The deployments.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ArmDeployment.ListResult.class)))
    public ArmDeployment.ListResult list(
            @Parameter(description = "2023-05-01 or later.", required = true) @RestQuery("api-version")
                    String apiVersion) {
        return listIn(view.defaultScope(), apiVersion);
    }

    @GET
    @Path("deployments/{deploymentName}")
    @Operation(operationId = "Deployments_Get", summary = "Get a deployment", description = "Takes an admin key.")
    @APIResponse(
            responseCode = "200",
            description = "The deployment; its etag is also the ETag header.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ArmDeployment.class)))
    public Response get(@RestPath String deploymentName, @RestQuery("api-version") String apiVersion) {
        return getIn(view.defaultScope(), deploymentName, apiVersion);
    }

    @PUT
    @Path("deployments/{deploymentName}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "Deployments_CreateOrUpdate",
            summary = "Create or update a deployment",
            description =
                    "Creates a deployment of a catalog model version with a capacity, or changes one. A new model or version is an in-place migration: provisioningState is Updating until traffic has switched. Send If-Match with the etag to update safely. Takes an admin key.")
    @APIResponse(
            responseCode = "200",
            description = "Updated.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ArmDeployment.class)))
    @APIResponse(
            responseCode = "201",
            description = "Created.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ArmDeployment.class)))
    public Response put(
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestHeader("If-Match") String ifMatch,
            @RestHeader("If-None-Match") String ifNoneMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = ArmDeployment.Put.class))) String body) {
        return putIn(view.defaultScope(), deploymentName, apiVersion, ifMatch, ifNoneMatch, body);
    }

    @DELETE
    @Path("deployments/{deploymentName}")
    @Operation(
            operationId = "Deployments_Delete",
            summary = "Delete a deployment",
            description =
                    "200 when deleted, 204 when there was none. A deployment that still receives routed traffic is 409. Takes an admin key.")
    @APIResponse(responseCode = "200", description = "Deleted.")
    @APIResponse(responseCode = "204", description = "There was no such deployment.")
    public Response delete(
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestHeader("If-Match") String ifMatch) {
        ManagementApiVersions.require(apiVersion);
        boolean deleted = service.delete(deploymentName, new Preconditions(ifMatch, null), actor());
        return Response.status(deleted ? 200 : 204).build();
    }

    @GET
    @Path("deployments/{deploymentName}/routing")
    @Operation(
            operationId = "Deployments_GetRouting",
            summary = "Get a deployment's traffic routes",
            description = "Takes an admin key.")
    public Routing getRouting(@RestPath String deploymentName, @RestQuery("api-version") String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        return routing(service.get(deploymentName));
    }

    @PUT
    @Path("deployments/{deploymentName}/routing")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "Deployments_SetRouting",
            summary = "Route a share of a deployment's traffic to others",
            description =
                    "Body {\"routes\":[{\"deployment\":\"new\",\"weight\":30}]}: 30% of the requests naming this deployment are served by 'new', the rest by this one. Change the weights step by step; an empty list sends everything back. Takes an admin key.")
    public Routing setRouting(
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestHeader("If-Match") String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = RoutingPut.class))) String body) {
        ManagementApiVersions.require(apiVersion);
        List<Route> routes = TrafficRules.parse(json(body));
        return routing(service.setRoutes(deploymentName, routes, new Preconditions(ifMatch, null), actor()));
    }

    @GET
    @Path("deployments/{deploymentName}/requests")
    @Operation(
            operationId = "Deployments_GetRequests",
            summary = "Requests a deployment served recently",
            description =
                    "The count over the last 'minutes' (1 to 60, default 10) and the time of the last request, to confirm a deployment is drained before deleting it: the requests it served, and the requests that named it (routed elsewhere or not); delete it once both are zero. Counted by this replica since its start. Takes an admin key.")
    public Requests requests(
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestQuery("minutes") Integer minutes) {
        ManagementApiVersions.require(apiVersion);
        DeploymentSpec d = service.get(deploymentName);
        int window = minutes == null ? 10 : minutes;
        if (window < 1 || window > 60) {
            throw DeploymentRequest.invalid(
                    "InvalidRequestContent", "minutes must be from 1 to 60, not " + window + ".", "minutes");
        }
        RequestCounts.Window w = counts.window(d.key(), window);
        RequestCounts.Window named = counts.namedWindow(d.key(), window);
        return new Requests(
                d.name(),
                window,
                w.requests(),
                w.lastRequestAt().map(Object::toString).orElse(null),
                named.requests(),
                named.lastRequestAt().map(Object::toString).orElse(null));
    }

    @GET
    @Path("deployments/{deploymentName}/history")
    @Operation(
            operationId = "Deployments_GetHistory",
            summary = "What happened to a deployment",
            description =
                    "Creation, updates, migrations and their outcome, upgrades and traffic changes, oldest first. Takes an admin key.")
    public History history(@RestPath String deploymentName, @RestQuery("api-version") String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        return new History(service.history(deploymentName));
    }

    // ---- the same under the full ARM path ----

    @GET
    @Path(ARM + "deployments")
    @Operation(hidden = true)
    public ArmDeployment.ListResult listArm(
            @RestPath String subscriptionId,
            @RestPath String resourceGroupName,
            @RestPath String accountName,
            @RestQuery("api-version") String apiVersion) {
        return listIn(new ArmView.Scope(subscriptionId, resourceGroupName, accountName), apiVersion);
    }

    @GET
    @Path(ARM + "deployments/{deploymentName}")
    @Operation(hidden = true)
    public Response getArm(
            @RestPath String subscriptionId,
            @RestPath String resourceGroupName,
            @RestPath String accountName,
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion) {
        return getIn(new ArmView.Scope(subscriptionId, resourceGroupName, accountName), deploymentName, apiVersion);
    }

    @PUT
    @Path(ARM + "deployments/{deploymentName}")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response putArm(
            @RestPath String subscriptionId,
            @RestPath String resourceGroupName,
            @RestPath String accountName,
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestHeader("If-Match") String ifMatch,
            @RestHeader("If-None-Match") String ifNoneMatch,
            String body) {
        return putIn(
                new ArmView.Scope(subscriptionId, resourceGroupName, accountName),
                deploymentName,
                apiVersion,
                ifMatch,
                ifNoneMatch,
                body);
    }

    @DELETE
    @Path(ARM + "deployments/{deploymentName}")
    @Operation(hidden = true)
    public Response deleteArm(
            @RestPath String subscriptionId,
            @RestPath String resourceGroupName,
            @RestPath String accountName,
            @RestPath String deploymentName,
            @RestQuery("api-version") String apiVersion,
            @RestHeader("If-Match") String ifMatch) {
        return delete(deploymentName, apiVersion, ifMatch);
    }

    private ArmDeployment.ListResult listIn(ArmView.Scope scope, String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        return new ArmDeployment.ListResult(
                service.list().stream().map(d -> view.show(d, scope)).toList());
    }

    private Response getIn(ArmView.Scope scope, String name, String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        return shown(200, service.get(name), scope);
    }

    private Response putIn(
            ArmView.Scope scope, String name, String apiVersion, String ifMatch, String ifNoneMatch, String body) {
        ManagementApiVersions.require(apiVersion);
        DeploymentRequest.checkName(name);
        DeploymentRequest request = DeploymentRequest.parse(json(body));
        DeploymentService.PutResult result =
                service.put(name, request, new Preconditions(ifMatch, ifNoneMatch), actor());
        return shown(result.created() ? 201 : 200, result.deployment(), scope);
    }

    private Response shown(int status, DeploymentSpec d, ArmView.Scope scope) {
        return Response.status(status)
                .header("ETag", Preconditions.quoted(d.etag()))
                .entity(view.show(d, scope))
                .build();
    }

    private static Routing routing(DeploymentSpec d) {
        return new Routing(d.name(), d.ownWeight(), d.routes(), Preconditions.quoted(d.etag()));
    }

    private JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            throw DeploymentRequest.invalid(
                    "InvalidRequestContent", "The request body is empty; it must be JSON.", null);
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw DeploymentRequest.invalid(
                    "InvalidRequestContent", "The request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    private String actor() {
        String key = request.getCurrent().get(HttpPipeline.ADMIN_KEY_ID);
        return KEY_ACTOR_PREFIX + (key == null ? "unknown" : key);
    }
}
