package dev.azinfer.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns OpenAPI 3 schemas into the Swagger 2.0 subset Power Platform accepts: references moved
 * to {@code #/definitions}, {@code nullable} (3.0) or {@code type: [T, "null"]} (3.1) as
 * {@code x-nullable}, and every
 * {@code oneOf}/{@code anyOf}/{@code allOf} flattened into one shape a designer can show (a text
 * alternative wins, since makers type text). Properties get {@code x-ms-summary} and
 * {@code x-ms-visibility}.
 */
final class SwaggerSchemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String OPENAPI_REF = "#/components/schemas/";
    private static final String SWAGGER_REF = "#/definitions/";
    /** Kept as they are, in this order (a fixed order keeps the generated file stable). */
    private static final List<String> KEPT = List.of(
            "type",
            "format",
            "description",
            "default",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "minLength",
            "maxLength",
            "enum");

    private final JsonNode components;
    private final Set<String> referenced = new LinkedHashSet<>();
    private final Deque<String> pending = new ArrayDeque<>();

    SwaggerSchemas(JsonNode openapi) {
        this.components = openapi.path("components").path("schemas");
    }

    /** Converts a schema used by an operation; the components it references are collected. */
    ObjectNode convert(JsonNode schema, String name) {
        ObjectNode out = F.objectNode();
        schema = described(schema);
        if (schema.has("$ref")) {
            String target = schema.get("$ref").asText().substring(OPENAPI_REF.length());
            if (referenced.add(target)) {
                pending.add(target);
            }
            out.put("$ref", SWAGGER_REF + target);
            return out;
        }
        JsonNode source = flatten(schema);
        for (String key : KEPT) {
            if (source.has(key)) {
                out.set(key, source.get(key));
            }
        }
        if (source.path("nullable").asBoolean(false)) {
            out.put("x-nullable", true);
        }
        JsonNode type = source.path("type");
        if (type.isArray()) {
            String first = null;
            for (JsonNode t : type) {
                if (t.asText().equals("null")) {
                    out.put("x-nullable", true);
                } else if (first == null) {
                    first = t.asText();
                }
            }
            out.put("type", first == null ? "string" : first);
        }
        if (source.has("enum")) {
            ArrayNode values = F.arrayNode();
            source.get("enum").forEach(v -> {
                if (!v.isNull()) {
                    values.add(v);
                }
            });
            out.set("enum", values);
        }
        if (source.has("items")) {
            out.set("items", convert(source.get("items"), name));
        }
        if (source.has("properties")) {
            ObjectNode properties = out.putObject("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            source.get("properties").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                properties.set(p.getKey(), property(name, p.getKey(), p.getValue()));
            }
        }
        if (source.has("required")) {
            out.set("required", source.get("required"));
        }
        if ("object".equals(out.path("type").asText()) && !out.has("properties")) {
            // free-form JSON (a JSON Schema, function parameters): any properties
            out.putObject("additionalProperties");
        }
        return out;
    }

    /** A property of the definition {@code owner}, with what the connector shows of it. */
    private ObjectNode property(String owner, String name, JsonNode schema) {
        String key = owner + "." + name;
        boolean group = Presentation.TITLED_GROUPS.contains(key);
        ObjectNode converted = Presentation.INLINE.contains(key) || group ? inline(schema) : convert(schema, owner);
        if (converted.has("$ref")) {
            // Swagger 2 ignores siblings of $ref; the referenced definition carries the summary
            return converted;
        }
        String title = schema.path("title").asText(null);
        String summary = title != null ? title : Presentation.titleCase(name);
        if (group) {
            converted.path("properties").forEach(field -> ((ObjectNode) field)
                    .put(
                            "x-ms-summary",
                            summary + " " + field.path("x-ms-summary").asText()));
        }
        converted.put("x-ms-summary", summary);
        if (!converted.has("description")) {
            converted.put("description", converted.get("x-ms-summary").asText());
        }
        Presentation.decorate(converted, key);
        return converted;
    }

    /** The referenced schema written in place (for fields that need a visibility of their own). */
    private ObjectNode inline(JsonNode schema) {
        String target = described(schema).path("$ref").asText().substring(OPENAPI_REF.length());
        ObjectNode converted = convert(components.path(target), target);
        if (schema.has("description")) {
            converted.put("description", schema.get("description").asText());
        }
        return converted;
    }

    /** OpenAPI 3.0 writes a described reference as {@code allOf: [{$ref}]}: that is the reference. */
    private static JsonNode described(JsonNode schema) {
        JsonNode single = schema.path("allOf");
        return single.isArray() && single.size() == 1 && single.get(0).has("$ref") ? single.get(0) : schema;
    }

    /** One shape for a polymorphic schema. */
    private static JsonNode flatten(JsonNode schema) {
        for (String combinator : new String[] {"oneOf", "anyOf", "allOf"}) {
            if (schema.has(combinator)) {
                JsonNode alternatives = schema.get(combinator);
                // a single alternative is that schema
                JsonNode chosen = alternatives.size() == 1 ? alternatives.get(0) : null;
                for (JsonNode alternative : alternatives) {
                    if (chosen == null
                            && "string".equals(alternative.path("type").asText())) {
                        chosen = alternative;
                    }
                }
                ObjectNode flat =
                        (chosen != null ? (ObjectNode) chosen : F.objectNode().put("type", "string")).deepCopy();
                copyIfAbsent(schema, flat, "description");
                copyIfAbsent(schema, flat, "title");
                copyIfAbsent(schema, flat, "default");
                return flat;
            }
        }
        return schema;
    }

    private static void copyIfAbsent(JsonNode from, ObjectNode to, String key) {
        if (from.has(key) && !to.has(key)) {
            to.set(key, from.get(key));
        }
    }

    /** The definitions of every component reached so far, converted, in a stable order. */
    ObjectNode definitions() {
        ObjectNode definitions = F.objectNode();
        while (!pending.isEmpty()) {
            String name = pending.poll();
            JsonNode source = components.path(name);
            if (source.isMissingNode()) {
                throw new IllegalStateException("the OpenAPI document references a missing schema: " + name);
            }
            ObjectNode converted = convert(source, name);
            if (source.has("title")) {
                converted.put("x-ms-summary", source.get("title").asText());
            }
            definitions.set(name, converted);
        }
        ObjectNode sorted = F.objectNode();
        java.util.List<String> names = new java.util.ArrayList<>();
        definitions.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        names.forEach(n -> sorted.set(n, definitions.get(n)));
        return sorted;
    }
}
