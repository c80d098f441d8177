package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static dev.azinfer.support.Api.userMessage;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Finding the model file of a local deployment: downloaded once when no local copy exists; when
 * it is missing, the service runs and that deployment says where to put the file.
 */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class ModelFileMissingTest {

    @Test
    void missing_model_file_is_503_saying_where_to_put_it() {
        chat(userMessage("missing-model", "hi"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(503)
                .header("x-ms-error-code", "model_unavailable")
                .body("error.code", equalTo("model_unavailable"))
                .body("error.message", containsString("no-such-model.gguf"))
                .body("error.message", containsString("azinfer.deployments.\"missing-model\".local.model-path"));
    }

    @Test
    void model_is_downloaded_once_into_the_data_folder_when_no_copy_exists() {
        chat("{\"model\":\"downloaded\",\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}],\"max_tokens\":3}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("usage.completion_tokens", equalTo(3));
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.exists(
                java.nio.file.Path.of("target", "test-data", "models", "downloaded-stories.gguf")));
        org.junit.jupiter.api.Assertions.assertEquals(
                1, dev.azinfer.support.FakeUpstreamResource.upstream().downloads());
    }

    @Test
    void a_model_file_put_in_place_later_is_loaded_without_recreating_the_deployment() throws Exception {
        // late-model has no file at start and a load retry of one second (test profile)
        java.nio.file.Path late = java.nio.file.Path.of("target", "test-data", "late-model.gguf");
        String request = userMessage("late-model", "Once").replace("}]", "}],\"max_tokens\":3");
        try {
            chat(request).when().post("/chat/completions").then().statusCode(503);
            java.nio.file.Files.copy(
                    java.nio.file.Path.of("..", "shared", "models", "stories260K.gguf"),
                    late,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            int status;
            do {
                Thread.sleep(500);
                status = chat(request)
                        .when()
                        .post("/chat/completions")
                        .then()
                        .extract()
                        .statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            org.junit.jupiter.api.Assertions.assertEquals(200, status, "answered once the file is there");
        } finally {
            java.nio.file.Files.deleteIfExists(late);
        }
    }

    @Test
    void other_deployments_still_answer() {
        chat(userMessage("tiny-stories", "Once"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
    }
}
