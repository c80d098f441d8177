package dev.azinfer.connector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.JsonFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed openapi/ and connector/ files are what the code generates. To regenerate them after
 * changing the API: {@code ./mvnw test -Dtest=GeneratedFilesTest -Dregenerate=true}.
 */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class GeneratedFilesTest {

    static final Path OPENAPI = Path.of("openapi", "openapi.json");
    static final Path DEFINITION = Path.of("connector", "apiDefinition.swagger.json");
    static final Path PROPERTIES = Path.of("connector", "apiProperties.json");
    static final Path SETTINGS = Path.of("connector", "settings.json");

    private static final boolean REGENERATE = Boolean.getBoolean("regenerate");

    @Test
    void committed_openapi_and_connector_files_match_the_code() throws IOException {
        JsonNode openapi = JsonFiles.parse(given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Map<Path, String> generated = Map.of(
                OPENAPI, JsonFiles.pretty(openapi),
                DEFINITION, JsonFiles.pretty(ConnectorDefinition.generate(openapi)),
                PROPERTIES, JsonFiles.pretty(ConnectorProperties.apiProperties()),
                SETTINGS, JsonFiles.pretty(ConnectorProperties.settings()));
        for (Map.Entry<Path, String> file : generated.entrySet()) {
            if (REGENERATE) {
                Files.createDirectories(file.getKey().getParent());
                Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
            }
            String committed =
                    Files.exists(file.getKey()) ? Files.readString(file.getKey(), StandardCharsets.UTF_8) : "(missing)";
            assertEquals(
                    file.getValue(),
                    committed,
                    file.getKey()
                            + " is stale: run ./mvnw test -Dtest=GeneratedFilesTest -Dregenerate=true and commit the result");
        }
    }
}
