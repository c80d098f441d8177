package dev.azinfer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * TEST TOOL: acts as Power Platform does for a custom connector, from the connector files alone.
 * The connection's endpoint URL replaces host and base path (dynamichosturl), the key goes in the
 * header that securityDefinitions names, internal parameters are sent with their defaults, and
 * body properties left empty get the defaults the designer shows filled in. Answers are checked
 * against the response schema in the definition.
 */
public final class ConnectorEmulator {

    public record Result(int status, JsonNode body, HttpResponse<String> raw) {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final JsonNode definition;
    private final JsonNode properties;
    private final Map<String, String> connection;
    private final HttpClient http;

    public ConnectorEmulator(
            JsonNode definition, JsonNode properties, Map<String, String> connection, HttpClient http) {
        this.definition = definition;
        this.properties = properties;
        this.connection = connection;
        this.http = http;
    }

    public Result call(String operationId, Map<String, String> inputs, ObjectNode body) throws Exception {
        Map.Entry<String, Map.Entry<String, JsonNode>> found = find(operationId);
        String path = found.getKey();
        String method = found.getValue().getKey();
        JsonNode op = found.getValue().getValue();
        StringBuilder query = new StringBuilder();
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (JsonNode p : op.path("parameters")) {
            String name = p.get("name").asText();
            String value = inputs.get(name);
            if (value == null
                    && p.has("default")
                    && ("internal".equals(p.path("x-ms-visibility").asText())
                            || p.path("required").asBoolean())) {
                value = p.get("default").asText();
            }
            if (value == null) {
                continue;
            }
            switch (p.get("in").asText()) {
                case "query" ->
                    query.append(query.isEmpty() ? "?" : "&")
                            .append(name)
                            .append('=')
                            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                case "header" -> request.header(name, value);
                case "body" -> {}
                default -> throw new IllegalStateException("parameter location " + p.get("in"));
            }
        }
        JsonNode scheme = definition.at("/securityDefinitions/api_key");
        request.header(scheme.get("name").asText(), connection.get("api_key"));
        // as the platform does: the URL the maker typed, then the operation's path (a trailing slash gives //)
        request.uri(URI.create(urlTemplate() + path + query));
        if (method.equals("post")) {
            ObjectNode filled = body == null ? F.objectNode() : body.deepCopy();
            fillDefaults(filled, bodySchema(op));
            request.header("Content-Type", "application/json");
            request.method("POST", HttpRequest.BodyPublishers.ofString(filled.toString()));
        } else {
            request.GET();
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Result(response.statusCode(), JsonFiles.parse(response.body()), response);
    }

    /** Validation messages of an answer against the operation's 200 schema (empty when it conforms). */
    public Set<ValidationMessage> checkResponse(String operationId, JsonNode body) {
        JsonNode op = find(operationId).getValue().getValue();
        ObjectNode schema = F.objectNode();
        schema.setAll((ObjectNode) jsonSchemaOf(op.at("/responses/200/schema")));
        schema.set("definitions", jsonSchemaOf(definition.get("definitions")));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(schema)
                .validate(body);
    }

    /** Swagger's x-nullable as JSON Schema: {@code type: [T, "null"]}. */
    private static JsonNode jsonSchemaOf(JsonNode swagger) {
        JsonNode copy = swagger.deepCopy();
        nullable(copy);
        return copy;
    }

    private static void nullable(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.path("x-nullable").asBoolean(false) && o.has("type")) {
                ArrayNode types = F.arrayNode().add(o.get("type").asText()).add("null");
                o.set("type", types);
                if (o.has("enum")) {
                    ((ArrayNode) o.get("enum")).addNull();
                }
            }
            o.elements().forEachRemaining(ConnectorEmulator::nullable);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ConnectorEmulator::nullable);
        }
    }

    private String urlTemplate() {
        String template = properties
                .at("/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.urlTemplate")
                .asText();
        String parameter = template.substring(template.indexOf("('") + 2, template.indexOf("')"));
        return connection.get(parameter);
    }

    private JsonNode bodySchema(JsonNode op) {
        for (JsonNode p : op.path("parameters")) {
            if (p.get("in").asText().equals("body")) {
                return resolve(p.get("schema"));
            }
        }
        return F.objectNode();
    }

    private JsonNode resolve(JsonNode schema) {
        return schema.has("$ref") ? definition.at(schema.get("$ref").asText().substring(1)) : schema;
    }

    private void fillDefaults(ObjectNode body, JsonNode schema) {
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode property = resolve(p.getValue());
            if (!body.has(p.getKey()) && property.has("default")) {
                body.set(p.getKey(), property.get("default"));
            }
        }
    }

    private Map.Entry<String, Map.Entry<String, JsonNode>> find(String operationId) {
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        definition.get("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getValue().path("operationId").asText().equals(operationId)) {
                    return Map.entry(path.getKey(), op);
                }
            }
        }
        throw new IllegalArgumentException("no operation " + operationId + " in the definition");
    }
}
