package dev.azinfer.api;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds to every documented operation the error answers the service gives, all in the Azure error
 * envelope ({@code ErrorResponse}) with the {@code x-ms-error-code} header. Each is described once,
 * under {@code components.responses}, and referred to by the operations: written out in every
 * operation they were three fifths of the document, which Quarkus parses and writes out again at
 * every start.
 */
public class OpenApiErrors implements OASFilter {

    /** An error answer: its status, its name under {@code components.responses}, what it means. */
    record Error(String status, String name, String description) {}

    static final List<Error> ERRORS = List.of(
            new Error("400", "BadRequest", "The request is not valid; the error names the field."),
            new Error("401", "Unauthorized", "The API key is missing or not valid."),
            new Error("403", "Forbidden", "An inference key was sent to the management API, which takes admin keys."),
            new Error("404", "NotFound", "The deployment or path does not exist."),
            new Error("413", "PayloadTooLarge", "The request body is too large."),
            new Error(
                    "422",
                    "ParameterNotSupported",
                    "The deployment's model does not support a parameter of the request."),
            new Error("429", "TooManyRequests", "Too many requests; retry after the time given in Retry-After."),
            new Error("431", "TooManyCustomHeaders", "The request has more than 10 custom headers."),
            new Error("500", "InternalServerError", "The service failed unexpectedly."),
            new Error("502", "BadGateway", "The model's upstream failed or could not be reached."),
            new Error("503", "ServiceUnavailable", "The model is not available."),
            new Error("504", "GatewayTimeout", "The model's upstream did not answer in time."));

    /** Answers of the deployments' management operations only. */
    static final List<Error> DEPLOYMENT_ERRORS = List.of(
            new Error(
                    "409",
                    "Conflict",
                    "The deployment is being migrated, or still receives traffic routed from another."),
            new Error(
                    "412",
                    "PreconditionFailed",
                    "If-Match or If-None-Match did not hold: the deployment changed since it was read."));

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
        java.util.stream.Stream.concat(ERRORS.stream(), DEPLOYMENT_ERRORS.stream())
                .forEach(error -> openAPI.getComponents().addResponse(error.name(), response(error)));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations()
                .values()
                .forEach(this::addErrors));
    }

    private void addErrors(Operation operation) {
        List<Error> errors = new java.util.ArrayList<>(ERRORS);
        if (operation.getOperationId() != null && operation.getOperationId().startsWith("Deployments_")) {
            errors.addAll(DEPLOYMENT_ERRORS);
            errors.sort(java.util.Comparator.comparing(Error::status));
        }
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok != null
                && ok.getContent() != null
                && ok.getContent().getMediaTypes().values().stream()
                        .allMatch(m -> m.getSchema() == null || isEmpty(m.getSchema()))) {
            // a jakarta.ws.rs.core.Response without declared content: the answer has no body
            ok.setContent(null);
        }
        for (Error error : errors) {
            APIResponse existing = operation.getResponses().getAPIResponse(error.status());
            // SmallRye documents a bare "400 Bad Request" of its own; ours says what the body is
            if (existing != null && existing.getContent() != null) {
                continue;
            }
            operation
                    .getResponses()
                    .addAPIResponse(
                            error.status(), OASFactory.createAPIResponse().ref(error.name()));
        }
    }

    private static APIResponse response(Error error) {
        APIResponse response = OASFactory.createAPIResponse()
                .description(error.description())
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
        if (error.status().equals("429")) {
            response.addHeader("Retry-After", header("Seconds to wait before retrying."));
            response.addHeader("retry-after-ms", header("Milliseconds to wait before retrying."));
        }
        return response;
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
