package dev.azinfer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.azinfer.api.model.ChatCompletionsOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.HibernateValidatorFactory;

/**
 * Turns a request body into a validated {@link ChatCompletionsOptions}: JSON syntax, the
 * {@code extra-parameters} policy, types, ranges ({@code jakarta.validation} on the records) and the
 * cross-field rules ({@link ChatRequestRules}). Every failure is a 400 naming the field.
 */
@ApplicationScoped
public class ChatRequestParser {

    /** OpenAI fields accepted on the OpenAI-compatible path, where clients such as the OpenAI SDKs send them. */
    private static final Set<String> OPENAI_FIELDS = Set.of("max_completion_tokens", "stream_options", "n", "user");

    private final ObjectMapper strict;
    private final Validator validator;

    public ChatRequestParser(ValidatorFactory validators) {
        this.strict = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        // numbers and booleans are not strings: "stop":[1] is an error, not "1"
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
            strict.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        // Every field of a request is reachable (no JPA entities here), so the per-validation cache of
        // the traversable resolver's answers only costs: a map and a holder per field on every request.
        this.validator = validators
                .unwrap(HibernateValidatorFactory.class)
                .usingContext()
                .enableTraversableResolverResultCache(false)
                .getValidator();
    }

    /** Which wire dialect the request came in: the Azure contract, or OpenAI's on {@code /openai/v1}. */
    public enum Dialect {
        AZURE,
        OPENAI
    }

    public ParsedChatRequest parse(byte[] body, ExtraParameters mode, Dialect dialect) {
        ObjectNode root = readObject(body);
        // a field set to null is a field not given (clients serialize unset options as null)
        root.properties().removeIf(field -> field.getValue().isNull());
        if (dialect == Dialect.OPENAI) {
            normalizeOpenAi(root);
        }
        ObjectNode extras = root.objectNode();
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!ChatCompletionsOptions.FIELDS.contains(field.getKey())) {
                unknown.add(field.getKey());
                extras.set(field.getKey(), field.getValue());
                it.remove();
            }
        }
        if (!unknown.isEmpty() && mode == ExtraParameters.ERROR) {
            throw new ApiException(
                    400,
                    "extra_parameters_not_allowed",
                    "Extra parameters " + unknown
                            + " are not allowed when 'extra-parameters' is not set or set to 'error'."
                            + " Set the header 'extra-parameters' to 'pass-through' to pass them to the model, or to 'drop' to ignore them.",
                    unknown.get(0),
                    null);
        }
        ChatCompletionsOptions options = bind(root);
        validate(options);
        ChatRequestRules.check(options);
        return new ParsedChatRequest(options, mode == ExtraParameters.PASS_THROUGH ? extras : root.objectNode(), mode);
    }

    private ObjectNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest(
                    "invalid_request_body", "The request body is empty; a JSON object is required.", null);
        }
        JsonNode node;
        try {
            node = strict.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "invalid_request_body", "The request body is not valid JSON: " + shortMessage(e) + ".", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("invalid_request_body", "The request body must be a JSON object.", null);
        }
        return (ObjectNode) node;
    }

    private static void normalizeOpenAi(ObjectNode root) {
        JsonNode maxCompletion = root.remove("max_completion_tokens");
        if (maxCompletion != null && !root.has("max_tokens")) {
            root.set("max_tokens", maxCompletion);
        }
        JsonNode n = root.remove("n");
        if (n != null && !(n.isIntegralNumber() && n.asInt() == 1)) {
            throw new ApiException(
                    422,
                    "parameter_not_supported",
                    "Only one choice per request is supported ('n' must be 1).",
                    "n",
                    null);
        }
        // usage is always reported in the last chunk; the caller's user tag is not used
        root.remove(OPENAI_FIELDS);
    }

    private ChatCompletionsOptions bind(ObjectNode root) {
        try {
            return strict.treeToValue(root, ChatCompletionsOptions.class);
        } catch (JsonMappingException e) {
            String field = fieldPath(e.getPath());
            throw ApiException.invalidParameter(
                    field, "Invalid value for '" + field + "': " + describeMismatch(e) + ".");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "invalid_request_body", "The request body could not be read: " + shortMessage(e) + ".", null);
        }
    }

    private void validate(ChatCompletionsOptions options) {
        Set<ConstraintViolation<ChatCompletionsOptions>> violations = validator.validate(options);
        if (violations.isEmpty()) {
            return;
        }
        ConstraintViolation<ChatCompletionsOptions> first = violations.stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElseThrow();
        String field = propertyPath(first.getPropertyPath());
        throw ApiException.invalidParameter(field, "Invalid value for '" + field + "': " + first.getMessage() + ".");
    }

    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    static String propertyPath(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() == null || node.getName().startsWith("<")) {
                // container element of a list: the index is on this node
                if (node.getIndex() != null) {
                    sb.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getIndex() != null && node.isInIterable()) {
                sb.append('[').append(node.getIndex()).append(']');
            }
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(snake(node.getName()));
        }
        return sb.toString();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String describeMismatch(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            return "expected " + typeName(mismatch.getTargetType());
        }
        return shortMessage(e);
    }

    private static String typeName(Class<?> type) {
        if (type == Double.class || type == double.class || type == Float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String shortMessage(Exception e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
