package dev.azinfer.connector;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The connector's {@code apiProperties.json} and the paconn tool's {@code settings.json}. */
public final class ConnectorProperties {

    public static final String ENDPOINT = "endpoint";
    public static final String API_KEY = "api_key";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConnectorProperties() {}

    public static ObjectNode apiProperties() {
        ObjectNode root = F.objectNode();
        ObjectNode props = root.putObject("properties");
        ObjectNode parameters = props.putObject("connectionParameters");
        ObjectNode endpoint = parameters.putObject(ENDPOINT);
        endpoint.put("type", "string");
        ObjectNode endpointUi = endpoint.putObject("uiDefinition");
        endpointUi.put("displayName", "Endpoint URL");
        endpointUi.put(
                "description",
                "The URL of the inference service, for example https://inference.contoso.com or https://inference.contoso.com/models");
        endpointUi.put("tooltip", "The address the service is reached at, with https and without a trailing slash.");
        endpointUi.putObject("constraints").put("required", "true").put("tabIndex", 1);
        ObjectNode key = parameters.putObject(API_KEY);
        key.put("type", "securestring");
        ObjectNode keyUi = key.putObject("uiDefinition");
        keyUi.put("displayName", "API Key");
        keyUi.put("description", "One of the service's inference keys (azinfer.api-keys).");
        keyUi.put("tooltip", "Sent as the api-key header with every call.");
        keyUi.putObject("constraints")
                .put("required", "true")
                .put("clearText", false)
                .put("tabIndex", 2);
        props.put("iconBrandColor", "#3a5a8c");
        props.putArray("capabilities").add("actions");
        ObjectNode policy = props.putArray("policyTemplateInstances").addObject();
        policy.put("templateId", "dynamichosturl");
        policy.put("title", "Send requests to the endpoint URL");
        policy.putObject("parameters")
                .put("x-ms-apimTemplateParameter.urlTemplate", "@connectionParameters('" + ENDPOINT + "')");
        props.put("publisher", "azinfer");
        props.put("stackOwner", "azinfer");
        return root;
    }

    public static ObjectNode settings() {
        ObjectNode root = F.objectNode();
        root.put("apiDefinition", "apiDefinition.swagger.json");
        root.put("apiProperties", "apiProperties.json");
        root.put("icon", "icon.png");
        root.put("powerAppsUrl", "https://api.powerapps.com");
        root.put("powerAppsApiVersion", "2016-11-01");
        return root;
    }
}
