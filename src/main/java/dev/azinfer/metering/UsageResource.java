package dev.azinfer.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.HttpPipeline;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.management.ManagementApiVersions;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/** Usage and cost from the ledger, and the spending limit, on the management API (admin key). */
@Path("/")
public class UsageResource {

    private final UsageLedger ledger;
    private final SpendingLimit spending;
    private final ServiceConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final CurrentVertxRequest request;

    public UsageResource(
            UsageLedger ledger,
            SpendingLimit spending,
            ServiceConfig config,
            ObjectMapper mapper,
            Clock clock,
            CurrentVertxRequest request) {
        this.ledger = ledger;
        this.spending = spending;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.request = request;
    }

    @Schema(name = "UsageReport")
    public record Report(
            String from, String to, String currency, List<String> groupBy, List<Map<String, Object>> value) {}

    @Schema(name = "SpendingLimitStatus")
    public record SpendingStatus(
            @Schema(description = "The limit per billing cycle; null when there is none.", nullable = true)
            String limit,

            String spent,
            String currency,
            String cycleStart,
            String cycleEnd,
            boolean reached) {}

    @Schema(name = "SpendingLimitPut")
    public record SpendingPut(
            @Schema(description = "The new limit, or null to remove it.", nullable = true)
            BigDecimal limit) {}

    @GET
    @Path("usage")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(
            operationId = "Usage_Get",
            summary = "Usage and cost",
            description =
                    "Requests, prompt and completion tokens and cost from the usage ledger over [from, to) (UTC days, default: the current billing cycle), grouped by day, deployment, model, modelVersion and/or key. JSON, or CSV with format=csv or Accept: text/csv. Takes an admin key.")
    @APIResponse(
            responseCode = "200",
            description = "The totals, one row per group.",
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Report.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))
            })
    public Response usage(
            @RestQuery("api-version") String apiVersion,
            @RestQuery String from,
            @RestQuery String to,
            @RestQuery String groupBy,
            @RestQuery String format) {
        ManagementApiVersions.require(apiVersion);
        SpendingLimit.Cycle cycle = spending.cycle(clock.instant());
        Instant start = day(from, "from").orElse(cycle.start());
        Instant end = day(to, "to").orElse(cycle.end());
        if (!end.isAfter(start)) {
            throw ApiException.badRequest("invalid_range", "to must be after from.", "to");
        }
        List<UsageGrouping> groups = UsageGrouping.parse(groupBy);
        List<Map<String, Object>> rows = ledger.totals(UsageTotals.day(start), UsageTotals.day(end), groups);
        String accept = request.getCurrent().request().getHeader("Accept");
        if ("csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("text/csv"))) {
            return Response.ok(csv(groups, rows)).type("text/csv").build();
        }
        Report report = new Report(
                start.toString(),
                end.toString(),
                config.billing().currency(),
                groups.stream().map(UsageGrouping::field).toList(),
                rows);
        return Response.ok(report).type(MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("spending-limit")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "SpendingLimit_Get",
            summary = "Spend against the spending limit",
            description = "The limit, what the current billing cycle has cost, and the cycle. Takes an admin key.")
    public SpendingStatus getLimit(@RestQuery("api-version") String apiVersion) {
        ManagementApiVersions.require(apiVersion);
        return status(spending.status());
    }

    @PUT
    @Path("spending-limit")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "SpendingLimit_Set",
            summary = "Change the spending limit",
            description =
                    "Body {\"limit\": 25.00}, or {\"limit\": null} for none. Applies at once. Takes an admin key.")
    public SpendingStatus setLimit(
            @RestQuery("api-version") String apiVersion,
            @RequestBody(content = @Content(schema = @Schema(implementation = SpendingPut.class))) String body) {
        ManagementApiVersions.require(apiVersion);
        JsonNode limit;
        try {
            limit = body == null || body.isBlank()
                    ? null
                    : mapper.readTree(body).get("limit");
        } catch (Exception e) {
            throw ApiException.badRequest("InvalidRequestContent", "The body must be JSON: {\"limit\": 25.00}.", null);
        }
        Optional<BigDecimal> amount = limit == null || limit.isNull() ? Optional.empty() : amount(limit);
        if (limit == null || (!limit.isNull() && amount.isEmpty())) {
            throw ApiException.badRequest(
                    "InvalidRequestContent",
                    "limit must be a number from 0 to 999999999999999999.999999 (at most 6 decimals), or null for no limit.",
                    "limit");
        }
        String actor = "admin key " + request.getCurrent().get(HttpPipeline.ADMIN_KEY_ID);
        return status(spending.set(amount, actor));
    }

    /** A limit the ledger's amount column (NUMERIC(24, 6)) holds exactly; empty for anything else. */
    private static Optional<BigDecimal> amount(JsonNode limit) {
        if (!limit.isNumber() || ((limit.isDouble() || limit.isFloat()) && !Double.isFinite(limit.doubleValue()))) {
            return Optional.empty();
        }
        BigDecimal value = limit.decimalValue().stripTrailingZeros();
        boolean fits = value.signum() >= 0 && value.scale() <= 6 && value.precision() - value.scale() <= 18;
        return fits ? Optional.of(value) : Optional.empty();
    }

    private static SpendingStatus status(SpendingLimit.Status s) {
        return new SpendingStatus(
                s.limit().map(l -> l.stripTrailingZeros().toPlainString()).orElse(null),
                s.spent().stripTrailingZeros().toPlainString(),
                s.currency(),
                s.cycle().start().toString(),
                s.cycle().end().toString(),
                s.reached());
    }

    private static Optional<Instant> day(String value, String name) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "invalid_date", name + " must be a day, yyyy-mm-dd, not '" + value + "'.", name);
        }
    }

    private static String csv(List<UsageGrouping> groups, List<Map<String, Object>> rows) {
        List<String> header = new java.util.ArrayList<>(
                groups.stream().map(UsageGrouping::field).toList());
        header.addAll(List.of("requests", "promptTokens", "completionTokens", "cost"));
        StringBuilder sb = new StringBuilder(String.join(",", header)).append("\r\n");
        for (Map<String, Object> row : rows) {
            sb.append(header.stream()
                            .map(h -> quote(String.valueOf(row.get(h))))
                            .collect(Collectors.joining(",")))
                    .append("\r\n");
        }
        return sb.toString();
    }

    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
