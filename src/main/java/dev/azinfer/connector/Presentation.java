package dev.azinfer.connector;

import java.util.Map;

/**
 * How the connector shows the API to makers: the choices the OpenAPI document cannot carry. One
 * table, so that a change of what is visible where is made here only.
 */
final class Presentation {

    private Presentation() {}

    /** Operations the connector exposes, with their visibility. */
    static final Map<String, String> OPERATIONS = Map.of(
            "GetModelInfo", "important",
            "GetChatCompletions", "important",
            "ListDeployments", "internal");

    /** Visibility of parameters and body properties, by name; unlisted ones are shown normally. */
    static final Map<String, String> VISIBILITY = Map.ofEntries(
            Map.entry("api-version", "internal"),
            Map.entry("messages", "important"),
            Map.entry("model", "important"),
            Map.entry("role", "important"),
            Map.entry("content", "important"),
            Map.entry("temperature", "advanced"),
            Map.entry("top_p", "advanced"),
            Map.entry("frequency_penalty", "advanced"),
            Map.entry("presence_penalty", "advanced"),
            Map.entry("max_tokens", "advanced"),
            Map.entry("stop", "advanced"),
            Map.entry("seed", "advanced"),
            Map.entry("response_format", "advanced"),
            Map.entry("tools", "advanced"),
            Map.entry("tool_choice", "advanced"),
            Map.entry("name", "advanced"),
            Map.entry("tool_calls", "advanced"),
            Map.entry("tool_call_id", "advanced"),
            // a connector action cannot read server-sent events
            Map.entry("stream", "internal"),
            Map.entry("extra-parameters", "advanced"),
            Map.entry("azureml-model-deployment", "advanced"));

    /** Parameters and properties whose values the connector offers as a drop-down of deployments. */
    static final String DEPLOYMENT_LIST_OPERATION = "ListDeployments";

    static boolean offersDeployments(String name) {
        return name.equals("model") || name.equals("azureml-model-deployment");
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
