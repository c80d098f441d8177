package dev.azinfer.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.api.ApiException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema subset the in-process grammar converter is given. llama.cpp's converter throws
 * C++ exceptions, which abort the whole process, on input it cannot handle: any {@code $ref} key
 * (it scans every object, even inside {@code default} or {@code const}), boolean subschemas,
 * non-string annotations. So schemas are checked here first, strictly, and anything outside this
 * subset is refused with 422 instead of reaching native code.
 */
final class JsonSchemaSubset {

    private static final Set<String> TYPES =
            Set.of("string", "number", "integer", "boolean", "object", "array", "null");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");
    private static final Set<String> COUNTS =
            Set.of("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties");
    private static final Set<String> NUMBERS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final Set<String> TEXTS = Set.of("description", "title", "$schema");
    private static final Set<String> VALUES = Set.of("const", "default", "examples", "enum");
    private static final Set<String> SHAPES = Set.of("type", "enum", "const", "anyOf", "oneOf");
    private static final int MAX_DEPTH = 16;
    /** Larger repetition counts make grammars the converter cannot build; no reply of a small context is longer. */
    private static final int MAX_COUNT = 4096;

    private JsonSchemaSubset() {}

    static void check(JsonNode schema, String at) {
        subschema(schema, at, 0);
    }

    /**
     * The schema the grammar is made from. With {@code strict} it must be wholly in the subset
     * (422 otherwise). Without it, as the contract's {@code strict: false} allows, the keywords
     * outside the subset (a {@code pattern}, a {@code format} it does not know) are left out, and
     * the rest is followed; a {@code $ref} is still refused, since leaving it out changes the shape.
     */
    static JsonNode usable(JsonNode schema, String at, boolean strict) {
        JsonNode used = strict || !schema.isObject() ? schema : withoutUnknownKeywords(schema.deepCopy());
        check(used, at);
        return used;
    }

    private static JsonNode withoutUnknownKeywords(JsonNode schema) {
        if (!(schema instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
            return schema;
        }
        object.properties().removeIf(e -> !known(e.getKey(), e.getValue()));
        object.properties().forEach(e -> {
            switch (e.getKey()) {
                case "properties" -> e.getValue().forEach(JsonSchemaSubset::withoutUnknownKeywords);
                case "items", "additionalProperties" -> withoutUnknownKeywords(e.getValue());
                case "anyOf", "oneOf" -> e.getValue().forEach(JsonSchemaSubset::withoutUnknownKeywords);
                default -> {}
            }
        });
        return object;
    }

    private static boolean known(String key, JsonNode value) {
        return switch (key) {
            case "type", "properties", "items", "additionalProperties", "anyOf", "oneOf", "required", "$ref" -> true;
            case "format" -> value.isTextual() && FORMATS.contains(value.asText());
            default -> VALUES.contains(key) || COUNTS.contains(key) || NUMBERS.contains(key) || TEXTS.contains(key);
        };
    }

    private static void subschema(JsonNode schema, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse(at, "is nested too deeply");
        }
        if (!schema.isObject()) {
            throw refuse(at, "must be a JSON Schema object");
        }
        boolean shaped = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            shaped |= SHAPES.contains(e.getKey());
            keyword(e.getKey(), e.getValue(), at + "." + e.getKey(), depth);
        }
        if (!shaped) {
            throw refuse(at, "needs a type, enum, const, anyOf or oneOf");
        }
    }

    private static void keyword(String key, JsonNode v, String here, int depth) {
        switch (key) {
            case "type" -> {
                boolean ok = v.isTextual()
                        ? TYPES.contains(v.asText())
                        : v.isArray() && !v.isEmpty() && allMatch(v, t -> t.isTextual() && TYPES.contains(t.asText()));
                require(ok, here, "must be a JSON type name or an array of them");
            }
            case "properties" -> {
                require(v.isObject(), here, "must be an object");
                v.fields().forEachRemaining(p -> {
                    require(!p.getKey().equals("$ref"), here, "may not name a property '$ref'");
                    subschema(p.getValue(), here + "." + p.getKey(), depth + 1);
                });
            }
            case "items" -> subschema(v, here, depth + 1);
            case "additionalProperties" -> {
                if (!v.isBoolean()) {
                    subschema(v, here, depth + 1);
                }
            }
            case "anyOf", "oneOf" -> {
                require(v.isArray() && !v.isEmpty(), here, "must be a non-empty array of schemas");
                for (int i = 0; i < v.size(); i++) {
                    subschema(v.get(i), here + "[" + i + "]", depth + 1);
                }
            }
            case "required" ->
                require(v.isArray() && allMatch(v, JsonNode::isTextual), here, "must be an array of property names");
            case "format" -> require(v.isTextual() && FORMATS.contains(v.asText()), here, "must be one of " + FORMATS);
            default -> other(key, v, here);
        }
    }

    private static void other(String key, JsonNode v, String here) {
        if (VALUES.contains(key)) {
            require(!key.equals("enum") || (v.isArray() && !v.isEmpty()), here, "must be a non-empty array");
            require(!containsRef(v), here, "may not contain a '$ref' key");
        } else if (COUNTS.contains(key)) {
            require(
                    v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0 && v.asInt() <= MAX_COUNT,
                    here,
                    "must be an integer from 0 to " + MAX_COUNT);
        } else if (NUMBERS.contains(key)) {
            require(v.isNumber(), here, "must be a number");
        } else if (TEXTS.contains(key)) {
            require(v.isTextual(), here, "must be a string");
        } else {
            throw refuse(here, "uses the keyword '" + key + "', which the in-process model's grammar does not support");
        }
    }

    private static boolean containsRef(JsonNode value) {
        if (value.isObject() && value.has("$ref")) {
            return true;
        }
        for (JsonNode child : value) {
            if (containsRef(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (!test.test(n)) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean ok, String at, String why) {
        if (!ok) {
            throw refuse(at, why);
        }
    }

    private static ApiException refuse(String at, String why) {
        return new ApiException(
                422,
                "parameter_not_supported",
                "The JSON Schema at '" + at + "' " + why
                        + ". The in-process model supports the keywords type, properties,"
                        + " required, items, additionalProperties, enum, const, anyOf, oneOf, format, and length and range limits.",
                at,
                null);
    }
}
