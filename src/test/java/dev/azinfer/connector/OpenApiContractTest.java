package dev.azinfer.connector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.JsonFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation documented in openapi/ answers as the document says, for success and for errors. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class OpenApiContractTest {

    private static final OpenApiValidationFilter CONTRACT =
            new OpenApiValidationFilter(OpenApiInteractionValidator.createForInlineApiSpecification(read())
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build());

    private static String read() {
        try {
            return Files.readString(GeneratedFilesTest.OPENAPI);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RequestSpecification documented() {
        return given().filter(CONTRACT).header("api-key", Api.KEY);
    }

    @Test
    void every_documented_operation_is_exercised_here() {
        Set<String> ids = new HashSet<>();
        JsonNode doc = JsonFiles.read(GeneratedFilesTest.OPENAPI);
        doc.get("paths")
                .forEach(p -> p.forEach(op -> ids.add(op.get("operationId").asText())));
        // the management operations are exercised, against this same document, by management.DeploymentLifecycleSuite
        // and metering.UsageLedgerTest
        assertEquals(
                Set.of(
                        "GetModelInfo",
                        "GetChatCompletions",
                        "ListDeployments",
                        "ListModels",
                        "Deployments_List",
                        "Deployments_Get",
                        "Deployments_CreateOrUpdate",
                        "Deployments_Delete",
                        "Deployments_GetRouting",
                        "Deployments_SetRouting",
                        "Deployments_GetRequests",
                        "Deployments_GetHistory",
                        "Usage_Get",
                        "SpendingLimit_Get",
                        "SpendingLimit_Set"),
                ids);
    }

    @Test
    void get_model_info() {
        documented().queryParam("api-version", Api.VERSION).get("/info").then().statusCode(200);
        documented()
                .queryParam("api-version", Api.VERSION)
                .queryParam("model", "nope")
                .get("/info")
                .then()
                .statusCode(404);
        given().filter(CONTRACT)
                .queryParam("api-version", Api.VERSION)
                .get("/info")
                .then()
                .statusCode(401);
    }

    @Test
    void get_chat_completions() {
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body(
                        "{\"model\":\"tiny-stories\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"#tool\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"temperature\":9,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(400);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"no-tools\",\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(422);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"#429\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(429);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"dead\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(502);
        documented()
                .queryParam("api-version", Api.VERSION)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"missing-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(503);
    }

    @Test
    void list_models() {
        given().filter(CONTRACT)
                .header("api-key", "test-admin-key")
                .queryParam("api-version", "2023-05-01")
                .get("/models")
                .then()
                .statusCode(200);
        documented()
                .queryParam("api-version", "2023-05-01")
                .get("/models")
                .then()
                .statusCode(403);
    }

    @Test
    void list_deployments() {
        documented().get("/model-deployments").then().statusCode(200);
    }
}
