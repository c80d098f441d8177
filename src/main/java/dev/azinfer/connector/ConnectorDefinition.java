package dev.azinfer.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Generates the connector's {@code apiDefinition.swagger.json} (Swagger 2.0) from the service's
 * OpenAPI document, which SmallRye OpenAPI builds from the code: the operations in
 * {@link Presentation#OPERATIONS}, their parameters and the schemas they use.
 */
public final class ConnectorDefinition {

    public static final String TITLE = "Azure AI Model Inference";
    static final String DESCRIPTION =
            "Chat with the language models of a self-hosted Azure AI model inference endpoint:"
                    + " one endpoint and key serve many model deployments, chosen by name. Get a model's reply to a conversation,"
                    + " with tools and JSON output, and see which model a deployment runs.";
    static final String WEBSITE = "https://github.com/azinfer/azinfer";
    static final String PRIVACY = "https://github.com/azinfer/azinfer/blob/main/connector/README.md#privacy";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConnectorDefinition() {}

    public static ObjectNode generate(JsonNode openapi) {
        SwaggerSchemas schemas = new SwaggerSchemas(openapi);
        ObjectNode root = F.objectNode();
        root.put("swagger", "2.0");
        ObjectNode info = root.putObject("info");
        info.put("title", TITLE);
        info.put("description", DESCRIPTION);
        info.put("version", "1.0");
        ObjectNode contact = info.putObject("contact");
        contact.put("name", "azinfer maintainers");
        contact.put("url", WEBSITE + "/issues");
        contact.put("email", "azinfer@example.com");
        // placeholder: the dynamichosturl policy replaces host and base path with the connection's URL
        root.put("host", "inference.example.com");
        root.put("basePath", "/");
        root.putArray("schemes").add("https");
        root.putArray("consumes").add("application/json");
        root.putArray("produces").add("application/json");
        ObjectNode paths = root.putObject("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = openapi.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String id = op.getValue().path("operationId").asText();
                if (Presentation.OPERATIONS.containsKey(id)) {
                    ObjectNode item = paths.has(path.getKey())
                            ? (ObjectNode) paths.get(path.getKey())
                            : paths.putObject(path.getKey());
                    item.set(op.getKey(), operation(op.getValue(), schemas));
                }
            }
        }
        root.set("definitions", schemas.definitions());
        root.putObject("parameters");
        root.putObject("responses");
        ObjectNode security = root.putObject("securityDefinitions").putObject("api_key");
        security.put("type", "apiKey");
        security.put("in", "header");
        security.put("name", "api-key");
        root.putArray("security").addObject().putArray("api_key");
        root.putArray("tags");
        ArrayNode metadata = root.putArray("x-ms-connector-metadata");
        metadata.addObject().put("propertyName", "Website").put("propertyValue", WEBSITE);
        metadata.addObject().put("propertyName", "Privacy policy").put("propertyValue", PRIVACY);
        metadata.addObject().put("propertyName", "Categories").put("propertyValue", "AI;Productivity");
        return root;
    }

    private static ObjectNode operation(JsonNode op, SwaggerSchemas schemas) {
        String id = op.get("operationId").asText();
        ObjectNode out = F.objectNode();
        out.put("operationId", id);
        out.put("summary", op.path("summary").asText());
        out.put("description", op.path("description").asText());
        out.put("x-ms-visibility", Presentation.OPERATIONS.get(id));
        ArrayNode parameters = out.putArray("parameters");
        for (JsonNode p : op.path("parameters")) {
            parameters.add(parameter(p));
        }
        JsonNode body = op.path("requestBody");
        if (!body.isMissingNode()) {
            ObjectNode b = parameters.addObject();
            b.put("name", "body");
            b.put("in", "body");
            b.put("required", body.path("required").asBoolean(false));
            b.put("description", body.path("description").asText("The request body."));
            b.put("x-ms-summary", "Request");
            b.set(
                    "schema",
                    schemas.convert(
                            body.path("content").path("application/json").path("schema"), "body"));
        }
        ObjectNode responses = out.putObject("responses");
        JsonNode ok = op.path("responses").path("200");
        ObjectNode r200 = responses.putObject("200");
        r200.put("description", ok.path("description").asText("OK"));
        r200.set(
                "schema",
                schemas.convert(ok.path("content").path("application/json").path("schema"), "response"));
        responses
                .putObject("default")
                .put(
                        "description",
                        "An error, in the Azure error envelope: error.code and error.message say what went wrong.");
        return out;
    }

    private static ObjectNode parameter(JsonNode p) {
        String name = p.get("name").asText();
        JsonNode schema = p.path("schema");
        ObjectNode out = F.objectNode();
        out.put("name", name);
        out.put("in", p.get("in").asText());
        out.put("required", p.path("required").asBoolean(false));
        out.put("type", schema.path("type").asText("string"));
        out.put("description", p.path("description").asText());
        out.put("x-ms-summary", Presentation.titleCase(name.replace("azureml-", "")));
        if (schema.has("enum")) {
            out.set("enum", schema.get("enum"));
        }
        if (schema.has("default")) {
            out.set("default", schema.get("default"));
        }
        Presentation.decorate(out, name);
        return out;
    }
}
