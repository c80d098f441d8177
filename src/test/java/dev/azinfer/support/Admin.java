package dev.azinfer.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Management API requests in tests: the admin key, the api-version, and answers checked against openapi/. */
public final class Admin {

    public static final String KEY = "test-admin-key";
    public static final String VERSION = "2023-05-01";
    public static final String ARM_PREFIX =
            "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1";

    private static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForInlineApiSpecification(read(Path.of("openapi", "openapi.json")))
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build());

    private Admin() {}

    /** A management request with the admin key and api-version; answers of documented paths are validated. */
    public static RequestSpecification admin() {
        return given().filter(CONTRACT).header("api-key", KEY).queryParam("api-version", VERSION);
    }

    /** The same, without the contract check (for the ARM path form, which the document does not list). */
    public static RequestSpecification adminUnchecked() {
        return given().header("api-key", KEY).queryParam("api-version", VERSION);
    }

    public static String body(String sku, int capacity, String format, String model, String version, String option) {
        return "{\"sku\":{\"name\":\"" + sku + "\",\"capacity\":" + capacity
                + "},\"properties\":{\"model\":{\"format\":\""
                + format + "\",\"name\":\"" + model + "\""
                + (version == null ? "" : ",\"version\":\"" + version + "\"") + "}"
                + (option == null ? "" : ",\"versionUpgradeOption\":\"" + option + "\"") + "}}";
    }

    public static JsonPath create(String name, String body) {
        return admin().contentType(ContentType.JSON)
                .body(body)
                .put("/deployments/" + name)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** Waits until the deployment's provisioningState is the one given (an in-place migration finishing). */
    public static JsonPath awaitState(String name, String state) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = admin().get("/deployments/" + name)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (state.equals(last.getString("properties.provisioningState"))) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("deployment " + name + " did not reach " + state + ": " + (last == null ? null : last.prettify()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
