package dev.azinfer.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.api.ApiException;
import dev.azinfer.deployments.DeploymentSpec;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of a deployment PUT, checked field by field: {@code sku{name, capacity}} and
 * {@code properties{model{format, name, version}, versionUpgradeOption}}. Other ARM properties
 * (tags, raiPolicyName, ...) are accepted and ignored, so commands copied from Azure work.
 * {@code version} may be null: the model's default version is meant.
 */
record DeploymentRequest(String sku, int capacity, String format, String model, String version, String upgradeOption) {

    static final int MAX_CAPACITY = 1_000_000;
    static final Set<String> SKUS = Set.of(
            "Standard",
            "GlobalStandard",
            "DataZoneStandard",
            "ProvisionedManaged",
            "GlobalProvisionedManaged",
            "DataZoneProvisionedManaged",
            "GlobalBatch",
            "DataZoneBatch",
            "DeveloperTier");
    static final Set<String> UPGRADE_OPTIONS =
            Set.of(DeploymentSpec.ONCE_NEW_DEFAULT, DeploymentSpec.ONCE_EXPIRED, DeploymentSpec.NO_AUTO_UPGRADE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ApiException(
                    400,
                    "InvalidResourceName",
                    "The deployment name '" + name
                            + "' is not valid: use 2 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                    "deploymentName",
                    null);
        }
    }

    static DeploymentRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(
                    "InvalidRequestContent", "The request body must be a JSON object with sku and properties.", null);
        }
        JsonNode sku = body.path("sku");
        if (!sku.isObject()) {
            throw invalid("InvalidSku", "sku is required, e.g. {\"name\":\"Standard\",\"capacity\":10}.", "sku");
        }
        String skuName = text(sku, "name", "sku.name", "InvalidSku");
        if (!SKUS.contains(skuName)) {
            throw invalid(
                    "InvalidSku",
                    "sku.name '" + skuName + "' is not a deployment type; use one of " + SKUS + ".",
                    "sku.name");
        }
        int capacity = capacity(sku.get("capacity"));
        JsonNode properties = body.path("properties");
        JsonNode model = properties.path("model");
        if (!model.isObject()) {
            throw invalid(
                    "InvalidResourceProperties",
                    "properties.model is required, e.g. {\"format\":\"OpenAI\",\"name\":\"gpt-4o\",\"version\":\"2024-08-06\"}.",
                    "properties.model");
        }
        String format = text(model, "format", "properties.model.format", "InvalidResourceProperties");
        String name = text(model, "name", "properties.model.name", "InvalidResourceProperties");
        String version = model.hasNonNull("version")
                ? text(model, "version", "properties.model.version", "InvalidResourceProperties")
                : null;
        return new DeploymentRequest(skuName, capacity, format, name, version, upgradeOption(properties));
    }

    private static int capacity(JsonNode value) {
        if (value == null || value.isNull()) {
            return 1; // Azure's default when sku.capacity is left out
        }
        if (!value.canConvertToInt()
                || !value.isIntegralNumber()
                || value.asInt() < 1
                || value.asInt() > MAX_CAPACITY) {
            throw invalid(
                    "InvalidCapacity",
                    "sku.capacity must be a whole number from 1 to " + MAX_CAPACITY
                            + " (units of 1,000 tokens per minute), not " + value + ".",
                    "sku.capacity");
        }
        return value.asInt();
    }

    private static String upgradeOption(JsonNode properties) {
        JsonNode option = properties.get("versionUpgradeOption");
        if (option == null || option.isNull()) {
            return null;
        }
        if (!option.isTextual() || !UPGRADE_OPTIONS.contains(option.asText())) {
            throw invalid(
                    "InvalidResourceProperties",
                    "properties.versionUpgradeOption must be one of " + UPGRADE_OPTIONS + " or null, not " + option
                            + ".",
                    "properties.versionUpgradeOption");
        }
        return option.asText();
    }

    private static String text(JsonNode node, String field, String target, String code) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(code, target + " is required and must be a non-empty string.", target);
        }
        return value.asText();
    }

    static ApiException invalid(String code, String message, String target) {
        return new ApiException(400, code, message, target, null);
    }
}
