package dev.azinfer.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * How the connector shows the API to makers: the choices the OpenAPI document cannot carry. One
 * table, so that a change of what is visible where is made here only. Body properties are keyed
 * {@code Definition.property}, operation parameters by their name.
 */
final class Presentation {

    private Presentation() {}

    /** Operations the connector exposes, with their visibility. */
    static final Map<String, String> OPERATIONS = Map.of(
            "GetModelInfo", "important",
            "GetChatCompletions", "important",
            "ListDeployments", "internal");

    /** Visibility of parameters (by name) and body properties (by Definition.property); unlisted ones are shown normally. */
    static final Map<String, String> VISIBILITY = Map.ofEntries(
            Map.entry("api-version", "internal"),
            // GetModelInfo's deployment
            Map.entry("model", "important"),
            Map.entry("extra-parameters", "advanced"),
            Map.entry("azureml-model-deployment", "advanced"),
            Map.entry("ChatCompletionsOptions.messages", "important"),
            Map.entry("ChatCompletionsOptions.model", "important"),
            Map.entry("ChatCompletionsOptions.temperature", "advanced"),
            Map.entry("ChatCompletionsOptions.top_p", "advanced"),
            Map.entry("ChatCompletionsOptions.frequency_penalty", "advanced"),
            Map.entry("ChatCompletionsOptions.presence_penalty", "advanced"),
            Map.entry("ChatCompletionsOptions.max_tokens", "advanced"),
            Map.entry("ChatCompletionsOptions.stop", "advanced"),
            Map.entry("ChatCompletionsOptions.seed", "advanced"),
            Map.entry("ChatCompletionsOptions.response_format", "advanced"),
            Map.entry("ChatCompletionsOptions.tools", "advanced"),
            Map.entry("ChatCompletionsOptions.tool_choice", "advanced"),
            // a connector action cannot read server-sent events
            Map.entry("ChatCompletionsOptions.stream", "internal"),
            Map.entry("ChatRequestMessage.role", "important"),
            Map.entry("ChatRequestMessage.content", "important"),
            Map.entry("ChatRequestMessage.name", "advanced"),
            Map.entry("ChatRequestMessage.tool_calls", "advanced"),
            Map.entry("ChatRequestMessage.tool_call_id", "advanced"),
            Map.entry("ChatCompletionsToolDefinition.type", "internal"),
            Map.entry("FunctionDefinition.parameters", "advanced"));

    /** Defaults the designer should fill that the API leaves implicit. */
    static final Map<String, JsonNode> DEFAULTS =
            Map.of("ChatCompletionsToolDefinition.type", JsonNodeFactory.instance.textNode("function"));

    /** Descriptions that say what the connector field takes, where it takes less than the API. */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "ChatRequestMessage.content", "The text of the message.",
            "ChatCompletionsOptions.tool_choice",
                    "auto (the model decides), none, or required (the model must call one of the tools).",
            "FunctionDefinition.parameters",
                    "JSON Schema of the function's arguments; build it with an expression such as json('{...}').",
            "ChatCompletionsResponseFormatJsonSchemaDefinition.schema",
                    "The JSON Schema the reply follows; build it with an expression such as json('{...}').");

    /** Choices of a field whose API form is a union (the connector offers the text alternatives). */
    static final Map<String, List<String>> ENUMS =
            Map.of("ChatCompletionsOptions.tool_choice", List.of("auto", "none", "required"));

    /** Fields whose referenced schema is written in place, so that the field's own visibility applies. */
    static final List<String> INLINE = List.of("ChatCompletionsOptions.response_format");

    /**
     * Fields of one shape under different names, written in place with their own fields titled
     * after them ("Hate Severity"): as references they would all show in dynamic content as the
     * same "Filtered" and "Severity".
     */
    static final List<String> TITLED_GROUPS = List.of(
            "ContentFilterResults.hate",
            "ContentFilterResults.self_harm",
            "ContentFilterResults.sexual",
            "ContentFilterResults.violence");

    /** Where the connector offers the deployments as a drop-down. */
    static final String DEPLOYMENT_LIST_OPERATION = "ListDeployments";

    static boolean offersDeployments(String key) {
        return key.equals("model")
                || key.equals("azureml-model-deployment")
                || key.equals("ChatCompletionsOptions.model");
    }

    /**
     * Applies what this table says of a field (an operation parameter, or a body property keyed
     * {@code Definition.property}): description, choices, default, visibility, deployments drop-down.
     */
    static void decorate(ObjectNode field, String key) {
        if (DESCRIPTIONS.containsKey(key)) {
            field.put("description", DESCRIPTIONS.get(key));
        }
        if (ENUMS.containsKey(key)) {
            ArrayNode values = field.putArray("enum");
            ENUMS.get(key).forEach(values::add);
        }
        if (DEFAULTS.containsKey(key)) {
            field.set("default", DEFAULTS.get(key));
        }
        if (VISIBILITY.containsKey(key)) {
            field.put("x-ms-visibility", VISIBILITY.get(key));
        }
        if (offersDeployments(key)) {
            ObjectNode d = field.putObject("x-ms-dynamic-values");
            d.put("operationId", DEPLOYMENT_LIST_OPERATION);
            d.put("value-collection", "value");
            d.put("value-path", "name");
            d.put("value-title", "name");
        }
    }

    /** The Power Platform title case of a field name: {@code top_p} becomes {@code Top P}. */
    static String titleCase(String name) {
        StringBuilder sb = new StringBuilder();
        for (String word : name.split("[-_ ]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return sb.toString().replace("Api ", "API ").replace("Id", "ID").replace("Url", "URL");
    }
}
