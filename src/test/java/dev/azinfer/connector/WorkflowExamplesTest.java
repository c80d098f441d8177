package dev.azinfer.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.support.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Logic Apps examples parse, and every connector call in them matches an operation and its parameters. */
class WorkflowExamplesTest {

    private static final Path EXAMPLES = Path.of("examples", "logic-apps");
    private static final JsonNode DEFINITION = JsonFiles.read(GeneratedFilesTest.DEFINITION);

    private static List<Path> files() throws Exception {
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void every_example_parses() throws Exception {
        List<Path> files = files();
        assertEquals(4, files.size(), files.toString());
        files.forEach(JsonFiles::read);
    }

    @Test
    void connector_actions_name_existing_operations_with_their_parameters() throws Exception {
        int checked = 0;
        for (Path file : files()) {
            JsonNode actions = JsonFiles.read(file).at("/definition/actions");
            for (Iterator<Map.Entry<String, JsonNode>> it = actions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> action = it.next();
                if (!action.getValue().path("type").asText().equals("ApiConnection")) {
                    continue;
                }
                JsonNode inputs = action.getValue().get("inputs");
                JsonNode operation =
                        DEFINITION.at("/paths/" + inputs.get("path").asText().replace("/", "~1") + "/"
                                + inputs.get("method").asText());
                assertFalse(
                        operation.isMissingNode(),
                        file + ": " + action.getKey() + " calls no operation of the connector");
                Set<String> declared = new HashSet<>();
                JsonNode bodySchema = null;
                for (JsonNode p : operation.get("parameters")) {
                    declared.add(p.get("in").asText() + ":" + p.get("name").asText());
                    if (p.get("in").asText().equals("body")) {
                        bodySchema = DEFINITION.at(p.at("/schema/$ref").asText().substring(1));
                    }
                }
                for (String where : List.of("queries", "headers")) {
                    String in = where.equals("queries") ? "query" : "header";
                    inputs.path(where)
                            .fieldNames()
                            .forEachRemaining(n -> assertTrue(
                                    declared.contains(in + ":" + n),
                                    file + ": " + action.getKey() + " passes unknown " + in + " " + n));
                }
                if (inputs.has("body")) {
                    assertTrue(bodySchema != null, file + ": body on an operation without one");
                    List<String> unknown = new ArrayList<>();
                    JsonNode props = bodySchema.get("properties");
                    inputs.get("body").fieldNames().forEachRemaining(n -> {
                        if (!props.has(n)) {
                            unknown.add(n);
                        }
                    });
                    assertEquals(List.of(), unknown, file + ": " + action.getKey());
                    for (String required : iterable(bodySchema.path("required"))) {
                        assertTrue(
                                inputs.get("body").has(required), file + ": " + action.getKey() + " lacks " + required);
                    }
                }
                checked++;
            }
        }
        assertEquals(4, checked, "connector actions checked");
    }

    @Test
    void standard_workflows_name_a_connection_that_connections_json_defines() {
        JsonNode connections = JsonFiles.read(EXAMPLES.resolve("standard").resolve("connections.json"))
                .get("managedApiConnections");
        JsonNode actions = JsonFiles.read(EXAMPLES.resolve("standard")
                        .resolve("chat-with-connector")
                        .resolve("workflow.json"))
                .at("/definition/actions");
        int checked = 0;
        for (JsonNode action : actions) {
            if (action.path("type").asText().equals("ApiConnection")) {
                String reference =
                        action.at("/inputs/host/connection/referenceName").asText();
                assertTrue(connections.has(reference), "connections.json defines " + reference);
                checked++;
            }
        }
        assertEquals(2, checked);
    }

    @Test
    void consumption_workflow_takes_its_connection_from_the_connections_parameter() {
        JsonNode doc = JsonFiles.read(EXAMPLES.resolve("consumption").resolve("chat-with-connector.json"));
        for (JsonNode action : doc.at("/definition/actions")) {
            String name = action.at("/inputs/host/connection/name").asText();
            assertTrue(name.startsWith("@parameters('$connections')['azinfer']"), name);
        }
        assertTrue(doc.at("/parameters/$connections/value/azinfer/id").asText().contains("/customApis/"));
    }

    @Test
    void required_parameters_without_defaults_are_passed() throws Exception {
        for (Path file : files()) {
            JsonNode actions = JsonFiles.read(file).at("/definition/actions");
            for (JsonNode action : actions) {
                if (!action.path("type").asText().equals("ApiConnection")) {
                    continue;
                }
                JsonNode inputs = action.get("inputs");
                JsonNode op =
                        DEFINITION.at("/paths/" + inputs.get("path").asText().replace("/", "~1") + "/"
                                + inputs.get("method").asText());
                for (JsonNode p : op.get("parameters")) {
                    if (p.path("required").asBoolean()
                            && !p.has("default")
                            && !p.get("in").asText().equals("body")) {
                        String where = p.get("in").asText().equals("query") ? "queries" : "headers";
                        assertTrue(inputs.path(where).has(p.get("name").asText()), file + " passes " + p.get("name"));
                    }
                }
                // Logic Apps sends what the workflow says: the internal api-version must be written there
                assertTrue(inputs.path("queries").has("api-version"), file + ": api-version");
            }
        }
    }

    private static List<String> iterable(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
