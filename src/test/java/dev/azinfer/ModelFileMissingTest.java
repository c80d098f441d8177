package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static dev.azinfer.support.Api.userMessage;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A local deployment whose model file is missing: the service runs, that deployment says where to put the file. */
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
    void other_deployments_still_answer() {
        chat(userMessage("tiny-stories", "Once"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
    }
}
