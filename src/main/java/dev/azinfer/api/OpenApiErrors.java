package dev.azinfer.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds to every documented operation the error answers the service gives, all in the Azure error
 * envelope ({@code ErrorResponse}) with the {@code x-ms-error-code} header, so that each
 * operation need not repeat them.
 */
public class OpenApiErrors implements OASFilter {

    static final Map<String, String> STATUSES = new java.util.LinkedHashMap<>();

    static {
        STATUSES.put("400", "The request is not valid; the error names the field.");
        STATUSES.put("401", "The API key is missing or not valid.");
        STATUSES.put("403", "An inference key was sent to the management API, which takes admin keys.");
        STATUSES.put("404", "The deployment or path does not exist.");
        STATUSES.put("413", "The request body is too large.");
        STATUSES.put("422", "The deployment's model does not support a parameter of the request.");
        STATUSES.put("429", "Too many requests; retry after the time given in Retry-After.");
        STATUSES.put("431", "The request has more than 10 custom headers.");
        STATUSES.put("500", "The service failed unexpectedly.");
        STATUSES.put("502", "The model's upstream failed or could not be reached.");
        STATUSES.put("503", "The model is not available.");
        STATUSES.put("504", "The model's upstream did not answer in time.");
    }

    @Override
    public Schema filterSchema(Schema schema) {
        // JSON kept as Jackson trees (content, tool_choice, parameters, schema) is described by its
        // annotations; the reference to Jackson's own class model says nothing to a client
        if (schema.getRef() != null && schema.getRef().endsWith("/JsonNode")) {
            schema.setRef(null);
            if (schema.getOneOf() != null) {
                schema.setType(null);
            }
        }
        return schema;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().removeSchema("JsonNode");
        openAPI.getComponents().removeSchema("JsonNodeType");
        openAPI.getComponents().addSchema("ErrorResponse", errorResponse());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations()
                .values()
                .forEach(this::addErrors));
    }

    private void addErrors(Operation operation) {
        Map<String, String> statuses = new java.util.LinkedHashMap<>(STATUSES);
        if (operation.getOperationId() != null && operation.getOperationId().startsWith("Deployments_")) {
            statuses.put("409", "The deployment is being migrated, or still receives traffic routed from another.");
            statuses.put("412", "If-Match or If-None-Match did not hold: the deployment changed since it was read.");
        }
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok != null
                && ok.getContent() != null
                && ok.getContent().getMediaTypes().values().stream()
                        .allMatch(m -> m.getSchema() == null || isEmpty(m.getSchema()))) {
            // a jakarta.ws.rs.core.Response without declared content: the answer has no body
            ok.setContent(null);
        }
        statuses.forEach((status, description) -> {
            APIResponse existing = operation.getResponses().getAPIResponse(status);
            // SmallRye documents a bare "400 Bad Request" of its own; ours says what the body is
            if (existing != null && existing.getContent() != null) {
                return;
            }
            APIResponse response = OASFactory.createAPIResponse()
                    .description(description)
                    .addHeader(
                            "x-ms-error-code",
                            OASFactory.createHeader()
                                    .description("The error code, as in error.code.")
                                    .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))))
                    .content(OASFactory.createContent()
                            .addMediaType(
                                    "application/json",
                                    OASFactory.createMediaType()
                                            .schema(OASFactory.createSchema().ref("ErrorResponse"))));
            if (status.equals("429")) {
                response.addHeader("Retry-After", header("Seconds to wait before retrying."));
                response.addHeader("retry-after-ms", header("Milliseconds to wait before retrying."));
            }
            operation.getResponses().addAPIResponse(status, response);
        });
    }

    private static boolean isEmpty(Schema schema) {
        return schema.getRef() == null && schema.getType() == null && schema.getProperties() == null;
    }

    private static Header header(String description) {
        return OASFactory.createHeader()
                .description(description)
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)));
    }

    private static Schema errorResponse() {
        Schema error = OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("The error.")
                .addProperty(
                        "code",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.STRING))
                                .description("A machine-readable code, also in x-ms-error-code."))
                .addProperty(
                        "message",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.STRING))
                                .description("What went wrong and what to do."))
                .addProperty(
                        "target",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.STRING))
                                .description("The field or header at fault."))
                .required(List.of("code", "message"));
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("The Azure error envelope.")
                .addProperty("error", error)
                .required(List.of("error"));
    }
}
