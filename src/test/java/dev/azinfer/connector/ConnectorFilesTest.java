package dev.azinfer.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.azinfer.support.JsonFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The committed connector files against the Power Platform schemas and against the rules the
 * platform is known to enforce beyond them (../shared/spec/power-platform/README.md), one test per rule.
 */
class ConnectorFilesTest {

    private static final Path SPEC = Path.of("..", "shared", "spec", "power-platform");
    private static final JsonNode DEFINITION = JsonFiles.read(GeneratedFilesTest.DEFINITION);
    private static final JsonNode PROPERTIES = JsonFiles.read(GeneratedFilesTest.PROPERTIES);
    private static final JsonNode SETTINGS = JsonFiles.read(GeneratedFilesTest.SETTINGS);
    private static final Pattern TITLE_CASE = Pattern.compile("([A-Z0-9][A-Za-z0-9]*)( [A-Z0-9][A-Za-z0-9]*)*");

    private static Set<ValidationMessage> validate(
            String schemaFile, SpecVersion.VersionFlag version, JsonNode document) {
        JsonNode schema = JsonFiles.read(SPEC.resolve(schemaFile));
        if (version == SpecVersion.VersionFlag.V7) {
            // the paconn schemas name themselves with draft-04's "id" inside a draft-07 schema; it is only a name
            ((com.fasterxml.jackson.databind.node.ObjectNode) schema).remove("id");
        }
        JsonSchema compiled = JsonSchemaFactory.getInstance(version).getSchema(schema);
        return compiled.validate(document);
    }

    @Test
    void api_definition_validates_against_the_swagger_schema() {
        assertEquals(Set.of(), validate("apiDefinition.swagger.schema.json", SpecVersion.VersionFlag.V4, DEFINITION));
    }

    @Test
    void api_properties_validate_against_the_paconn_schema() {
        assertEquals(Set.of(), validate("paconn-apiProperties.schema.json", SpecVersion.VersionFlag.V7, PROPERTIES));
    }

    @Test
    void settings_validate_against_the_paconn_schema() {
        assertEquals(Set.of(), validate("paconn-settings.schema.json", SpecVersion.VersionFlag.V7, SETTINGS));
    }

    @Test
    void schema_check_rejects_a_broken_definition() {
        JsonNode broken = DEFINITION.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).put("swagger", "3.0");
        assertFalse(validate("apiDefinition.swagger.schema.json", SpecVersion.VersionFlag.V4, broken)
                .isEmpty());
    }

    @Test
    void swagger_2_only() {
        assertEquals("2.0", DEFINITION.get("swagger").asText());
        assertFalse(DEFINITION.has("openapi"));
    }

    @Test
    void host_is_a_bare_host() {
        assertTrue(
                DEFINITION.get("host").asText().matches("[a-zA-Z0-9.-]+(:\\d+)?"),
                DEFINITION.get("host").asText());
    }

    @Test
    void no_one_of_any_of_or_all_of_anywhere() {
        List<String> found = new ArrayList<>();
        walk(DEFINITION, "", (path, node) -> {
            for (String k : List.of("oneOf", "anyOf", "allOf")) {
                if (node.has(k)) {
                    found.add(path + "/" + k);
                }
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void every_operation_has_a_pascal_case_id_a_good_summary_and_a_description() {
        operations((path, op) -> {
            String id = op.path("operationId").asText();
            assertTrue(id.matches("[A-Z][A-Za-z0-9]+"), "operationId " + id);
            String summary = op.path("summary").asText();
            assertTrue(!summary.isEmpty() && summary.length() <= 80, id + " summary length");
            assertTrue(
                    Character.isUpperCase(summary.charAt(0))
                            && summary.substring(1).equals(summary.substring(1).toLowerCase(Locale.ROOT)),
                    id + " summary is sentence case: " + summary);
            assertTrue(summary.chars().noneMatch(c -> "/\\<>*%&?".indexOf(c) >= 0), id + " summary characters");
            assertFalse(summary.matches(".*\\p{Punct}$"), id + " summary ends in punctuation");
            assertFalse(op.path("description").asText().isBlank(), id + " description");
        });
    }

    @Test
    void every_parameter_has_a_description_a_title_case_summary_and_a_known_visibility() {
        operations((path, op) -> op.path("parameters").forEach(p -> {
            String name = op.get("operationId").asText() + "." + p.get("name").asText();
            assertFalse(p.path("description").asText().isBlank(), name + " description");
            assertTrue(
                    TITLE_CASE.matcher(p.path("x-ms-summary").asText()).matches(),
                    name + " x-ms-summary: " + p.path("x-ms-summary"));
            if (p.has("x-ms-visibility")) {
                assertTrue(
                        Set.of("important", "advanced", "internal")
                                .contains(p.get("x-ms-visibility").asText()),
                        name);
            }
        }));
    }

    @Test
    void every_default_has_the_declared_type() {
        List<String> wrong = new ArrayList<>();
        walk(DEFINITION, "", (path, node) -> {
            if (node.has("default") && node.has("type")) {
                JsonNode d = node.get("default");
                boolean ok =
                        switch (node.get("type").asText()) {
                            case "string" -> d.isTextual();
                            case "number" -> d.isNumber();
                            case "integer" -> d.isIntegralNumber();
                            case "boolean" -> d.isBoolean();
                            default -> true;
                        };
                if (!ok) {
                    wrong.add(path);
                }
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void info_has_a_short_title_without_api_or_connector_a_description_and_a_contact() {
        JsonNode info = DEFINITION.get("info");
        String title = info.get("title").asText();
        assertTrue(title.length() <= 30, title);
        assertFalse(title.toLowerCase(Locale.ROOT).matches(".*\\b(api|connector)\\b.*"), title);
        int d = info.get("description").asText().length();
        assertTrue(d >= 30 && d <= 500, "description length " + d);
        assertTrue(info.get("contact").has("name") && info.get("contact").has("url"));
    }

    @Test
    void connector_metadata_names_website_privacy_policy_and_categories() {
        Set<String> names = new HashSet<>();
        DEFINITION.get("x-ms-connector-metadata").forEach(m -> {
            names.add(m.get("propertyName").asText());
            assertFalse(m.get("propertyValue").asText().isBlank());
        });
        assertEquals(Set.of("Website", "Privacy policy", "Categories"), names);
    }

    @Test
    void responses_have_real_schemas_and_the_default_response_has_none() {
        operations((path, op) -> {
            JsonNode ok = op.path("responses").path("200");
            assertTrue(
                    ok.path("schema").has("$ref") || ok.path("schema").has("type"),
                    op.get("operationId") + " 200 schema");
            assertTrue(op.path("responses").has("default"));
            assertFalse(op.path("responses").path("default").has("schema"));
        });
        List<String> empty = new ArrayList<>();
        walk(DEFINITION.get("definitions"), "#/definitions", (path, node) -> {
            if (node.isObject() && node.isEmpty() && !path.endsWith("additionalProperties")) {
                empty.add(path);
            }
        });
        assertEquals(List.of(), empty);
    }

    @Test
    void at_most_512_schemas_and_paths_unique_ignoring_case() {
        assertTrue(DEFINITION.get("definitions").size() <= 512);
        Set<String> lower = new HashSet<>();
        DEFINITION
                .get("paths")
                .fieldNames()
                .forEachRemaining(p -> assertTrue(lower.add(p.toLowerCase(Locale.ROOT)), p));
    }

    @Test
    void connection_parameters_are_the_endpoint_url_and_a_secure_key() {
        JsonNode params = PROPERTIES.at("/properties/connectionParameters");
        assertEquals("string", params.at("/endpoint/type").asText());
        assertEquals(
                "true", params.at("/endpoint/uiDefinition/constraints/required").asText());
        assertTrue(params.at("/endpoint/uiDefinition/description").asText().contains("https://"), "an example URL");
        assertEquals("securestring", params.at("/api_key/type").asText());
        assertEquals(
                "true", params.at("/api_key/uiDefinition/constraints/required").asText());
    }

    @Test
    void icon_brand_color_is_set_and_not_a_forbidden_one() {
        String color = PROPERTIES.at("/properties/iconBrandColor").asText();
        assertTrue(color.matches("#[0-9a-fA-F]{6}"));
        assertFalse(Set.of("#007ee5", "#ffffff").contains(color.toLowerCase(Locale.ROOT)));
    }

    @Test
    void properties_name_capabilities_publisher_and_stack_owner() {
        JsonNode p = PROPERTIES.get("properties");
        assertTrue(p.get("capabilities").isArray());
        assertFalse(p.path("publisher").asText().isBlank());
        assertFalse(p.path("stackOwner").asText().isBlank());
    }

    @Test
    void requests_go_to_the_endpoint_url_through_dynamichosturl() {
        JsonNode policy = PROPERTIES.at("/properties/policyTemplateInstances/0");
        assertEquals("dynamichosturl", policy.get("templateId").asText());
        assertEquals(
                "@connectionParameters('endpoint')",
                policy.at("/parameters/x-ms-apimTemplateParameter.urlTemplate").asText());
    }

    @Test
    void the_key_is_sent_as_the_api_key_header() {
        JsonNode scheme = DEFINITION.at("/securityDefinitions/api_key");
        assertEquals("apiKey", scheme.get("type").asText());
        assertEquals("header", scheme.get("in").asText());
        assertEquals("api-key", scheme.get("name").asText());
        assertEquals("api_key", DEFINITION.at("/security/0").fieldNames().next());
    }

    @Test
    void api_version_is_internal_with_a_default() {
        int[] seen = new int[1];
        operations((path, op) -> op.path("parameters").forEach(p -> {
            if (p.get("name").asText().equals("api-version")) {
                seen[0]++;
                assertEquals("internal", p.get("x-ms-visibility").asText());
                assertEquals("2024-05-01-preview", p.get("default").asText());
                assertTrue(p.get("required").asBoolean());
            }
        }));
        assertEquals(2, seen[0], "GetModelInfo and GetChatCompletions take api-version");
    }

    @Test
    void every_body_property_has_a_description_and_a_title_case_summary() {
        List<String> wrong = new ArrayList<>();
        DEFINITION.get("definitions").fields().forEachRemaining(d -> walkProperties(d.getKey(), d.getValue(), wrong));
        assertEquals(List.of(), wrong);
    }

    private static void walkProperties(String at, JsonNode schema, List<String> wrong) {
        schema.path("properties").fields().forEachRemaining(p -> {
            JsonNode prop = p.getValue();
            String here = at + "." + p.getKey();
            if (prop.has("$ref")) {
                return;
            }
            if (prop.path("description").asText().isBlank()
                    || !TITLE_CASE.matcher(prop.path("x-ms-summary").asText()).matches()) {
                wrong.add(here);
            }
            walkProperties(here, prop, wrong);
            walkProperties(here + "[]", prop.path("items"), wrong);
        });
    }

    @Test
    void required_fields_are_never_hidden() {
        List<String> hidden = new ArrayList<>();
        DEFINITION.get("definitions").fields().forEachRemaining(d -> d.getValue()
                .path("required")
                .forEach(r -> {
                    JsonNode prop = d.getValue().at("/properties/" + r.asText());
                    if (Set.of("advanced", "internal")
                                    .contains(prop.path("x-ms-visibility").asText())
                            && !prop.has("default")) {
                        hidden.add(d.getKey() + "." + r.asText());
                    }
                }));
        assertEquals(List.of(), hidden, "a required field without a default must be shown");
    }

    @Test
    void only_the_request_model_offers_the_deployments() {
        assertTrue(DEFINITION
                .at("/definitions/ChatCompletionsOptions/properties/model")
                .has("x-ms-dynamic-values"));
        assertFalse(
                DEFINITION.at("/definitions/ChatCompletions/properties/model").has("x-ms-dynamic-values"));
        assertEquals(
                "function",
                DEFINITION
                        .at("/definitions/ChatCompletionsToolDefinition/properties/type/default")
                        .asText());
    }

    @Test
    void chat_options_have_the_documented_defaults_ranges_and_visibility() {
        JsonNode props = DEFINITION.at("/definitions/ChatCompletionsOptions/properties");
        Map<String, Double> defaults =
                Map.of("temperature", 0.7, "top_p", 1.0, "frequency_penalty", 0.0, "presence_penalty", 0.0);
        defaults.forEach((name, value) -> {
            assertEquals(value, props.at("/" + name + "/default").asDouble(), name);
            assertEquals("advanced", props.at("/" + name + "/x-ms-visibility").asText(), name);
        });
        assertEquals(0, props.at("/temperature/minimum").asInt());
        assertEquals(1, props.at("/temperature/maximum").asInt());
        assertEquals(-2, props.at("/frequency_penalty/minimum").asInt());
        assertEquals(2, props.at("/presence_penalty/maximum").asInt());
        for (String advanced : List.of("max_tokens", "stop", "seed", "response_format", "tools", "tool_choice")) {
            // a $ref would hide the visibility (Swagger 2 ignores its siblings): each is written in place
            assertFalse(props.get(advanced).has("$ref"), advanced);
            assertEquals("advanced", props.get(advanced).path("x-ms-visibility").asText(), advanced);
        }
        assertEquals(List.of("auto", "none", "required"), list(props.at("/tool_choice/enum")));
        assertEquals("internal", props.at("/stream/x-ms-visibility").asText());
        assertEquals("important", props.at("/messages/x-ms-visibility").asText());
        assertEquals("important", props.at("/model/x-ms-visibility").asText());
        assertEquals(
                "ListDeployments",
                props.at("/model/x-ms-dynamic-values/operationId").asText());
    }

    @Test
    void headers_extra_parameters_and_deployment_are_exposed() {
        JsonNode chat = DEFINITION.at("/paths/~1chat~1completions/post/parameters");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        chat.forEach(p -> byName.put(p.get("name").asText(), p));
        assertEquals("header", byName.get("extra-parameters").get("in").asText());
        assertEquals(
                List.of("error", "drop", "pass-through"),
                list(byName.get("extra-parameters").get("enum")));
        assertEquals("header", byName.get("azureml-model-deployment").get("in").asText());
    }

    @Test
    void list_deployments_is_internal() {
        assertEquals(
                "internal",
                DEFINITION.at("/paths/~1model-deployments/get/x-ms-visibility").asText());
    }

    @Test
    void fields_makers_pick_have_summaries() {
        JsonNode d = DEFINITION.get("definitions");
        for (String pointer : List.of(
                "/ChatResponseMessage/properties/content",
                "/ChatChoice/properties/finish_reason",
                "/CompletionsUsage/properties/prompt_tokens",
                "/CompletionsUsage/properties/completion_tokens",
                "/CompletionsUsage/properties/total_tokens",
                "/ChatResponseMessage/properties/tool_calls",
                "/FunctionCall/properties/name",
                "/FunctionCall/properties/arguments",
                "/ChatCompletionsToolCall/properties/id")) {
            assertFalse(d.at(pointer + "/x-ms-summary").asText().isBlank(), pointer);
        }
    }

    @Test
    void content_filter_categories_are_told_apart_in_dynamic_content() {
        JsonNode categories = DEFINITION.at("/definitions/ContentFilterResults/properties");
        List<String> summaries = new ArrayList<>();
        categories.forEach(category -> category.path("properties")
                .forEach(field -> summaries.add(field.path("x-ms-summary").asText())));
        assertEquals(8, summaries.size(), summaries::toString);
        assertEquals(summaries.size(), new java.util.HashSet<>(summaries).size(), summaries::toString);
        assertTrue(summaries.contains("Self Harm Severity"), summaries::toString);
    }

    @Test
    void model_info_deployment_is_important() {
        JsonNode model = null;
        for (JsonNode p : DEFINITION.at("/paths/~1info/get/parameters")) {
            if (p.path("name").asText().equals("model")) {
                model = p;
            }
        }
        assertEquals("important", model.path("x-ms-visibility").asText());
        assertEquals(
                "ListDeployments", model.at("/x-ms-dynamic-values/operationId").asText());
    }

    @Test
    void icon_is_a_small_square_png() throws Exception {
        Path icon = Path.of("connector", "icon.png");
        BufferedImage image = ImageIO.read(icon.toFile());
        assertEquals(image.getWidth(), image.getHeight());
        assertTrue(image.getWidth() >= 100 && Files.size(icon) < 1_000_000);
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void operations(BiConsumer<String, JsonNode> check) {
        DEFINITION.get("paths").fields().forEachRemaining(p -> p.getValue()
                .fields()
                .forEachRemaining(op -> check.accept(p.getKey(), op.getValue())));
    }

    private static void walk(JsonNode node, String path, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(path, node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), path + "/" + e.getKey(), visit);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, visit);
            }
        }
    }
}
