package dev.azinfer.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.api.ApiException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema keywords the in-process grammar converter is given. llama.cpp's converter aborts
 * the whole process on input it cannot handle, so schemas are checked here first and anything
 * outside this subset is refused with 422 instead of reaching native code.
 */
final class JsonSchemaSubset {

    private static final Set<String> TYPES =
            Set.of("string", "number", "integer", "boolean", "object", "array", "null");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");
    private static final Set<String> COUNTS =
            Set.of("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties");
    private static final Set<String> NUMBERS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final Set<String> TEXTS = Set.of("description", "title", "$schema");
    private static final int MAX_DEPTH = 16;

    private JsonSchemaSubset() {}

    static void check(JsonNode schema, String at) {
        check(schema, at, 0);
    }

    private static void check(JsonNode schema, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse(at, "is nested too deeply");
        }
        if (schema.isBoolean()) {
            return;
        }
        if (!schema.isObject()) {
            throw refuse(at, "must be a JSON Schema object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String here = at + "." + key;
            switch (key) {
                case "type" -> {
                    boolean ok = v.isTextual()
                            ? TYPES.contains(v.asText())
                            : v.isArray() && allMatch(v, t -> t.isTextual() && TYPES.contains(t.asText()));
                    if (!ok) {
                        throw refuse(here, "must be a JSON type name or an array of them");
                    }
                }
                case "properties" -> {
                    if (!v.isObject()) {
                        throw refuse(here, "must be an object");
                    }
                    v.fields().forEachRemaining(p -> check(p.getValue(), here + "." + p.getKey(), depth + 1));
                }
                case "items", "additionalProperties" -> {
                    if (!v.isBoolean()) {
                        check(v, here, depth + 1);
                    }
                }
                case "anyOf", "oneOf" -> {
                    if (!v.isArray() || v.isEmpty()) {
                        throw refuse(here, "must be a non-empty array of schemas");
                    }
                    for (int i = 0; i < v.size(); i++) {
                        check(v.get(i), here + "[" + i + "]", depth + 1);
                    }
                }
                case "required" -> {
                    if (!v.isArray() || !allMatch(v, JsonNode::isTextual)) {
                        throw refuse(here, "must be an array of property names");
                    }
                }
                case "enum" -> {
                    if (!v.isArray() || v.isEmpty()) {
                        throw refuse(here, "must be a non-empty array");
                    }
                }
                case "const", "default", "examples" -> {}
                case "format" -> {
                    if (!v.isTextual() || !FORMATS.contains(v.asText())) {
                        throw refuse(here, "must be one of " + FORMATS);
                    }
                }
                default -> {
                    if (COUNTS.contains(key)) {
                        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                            throw refuse(here, "must be a non-negative integer");
                        }
                    } else if (NUMBERS.contains(key)) {
                        if (!v.isNumber()) {
                            throw refuse(here, "must be a number");
                        }
                    } else if (!TEXTS.contains(key)) {
                        throw refuse(
                                here,
                                "uses the keyword '" + key
                                        + "', which the in-process model's grammar does not support");
                    }
                }
            }
        }
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (!test.test(n)) {
                return false;
            }
        }
        return true;
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
