package dev.azinfer;

import static dev.azinfer.support.Api.azure;
import static dev.azinfer.support.Api.azure2025;
import static dev.azinfer.support.Api.keyed;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class ModelInfoTest {

    @Test
    void info_without_model_answers_for_the_default_deployment() {
        azure().when()
                .get("/info")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("stories260K"))
                .body("model_type", equalTo("text_generation"))
                .body("model_provider_name", equalTo("TinyLlamas (llama.cpp)"));
    }

    @Test
    void info_picks_the_deployment_by_model_query_case_insensitively() {
        azure2025()
                .queryParam("model", "GPT-Fake")
                .when()
                .get("/info")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("fake-model"))
                .body("model_provider_name", equalTo("OpenAI"))
                .body("model_type", equalTo("chat_completion"));
    }

    @Test
    void info_picks_the_deployment_by_header() {
        azure().header("azureml-model-deployment", "azure-ai")
                .when()
                .get("/info")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("Phi-4"));
    }

    @Test
    void info_is_served_under_models_prefix_too() {
        keyed().queryParam("model", "azure-oai")
                .when()
                .get("/models/info")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("aoai-deploy"));
    }

    @Test
    void unknown_deployment_is_404_with_azure_error() {
        azure2025()
                .queryParam("model", "nope")
                .when()
                .get("/info")
                .then()
                .statusCode(404)
                .header("x-ms-error-code", "unknown_model")
                .body("error.code", equalTo("unknown_model"))
                .body("error.message", equalTo("Unknown model: nope. The deployment does not exist."));
    }

    @Test
    void deployment_names_keep_their_punctuation() {
        azure2025().queryParam("model", "gpt_fake").when().get("/info").then().statusCode(404);
    }

    @Test
    void missing_api_version_is_400() {
        io.restassured.RestAssured.given()
                .header("api-key", "test-key-1")
                .when()
                .get("/info")
                .then()
                .statusCode(400)
                .header("x-ms-error-code", "missing_api_version")
                .body("error.target", equalTo("api-version"));
    }

    @Test
    void malformed_api_version_is_400() {
        io.restassured.RestAssured.given()
                .header("api-key", "test-key-1")
                .queryParam("api-version", "yesterday")
                .when()
                .get("/info")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_api_version"));
    }

    @Test
    void unsupported_api_version_is_400_listing_the_supported_ones() {
        io.restassured.RestAssured.given()
                .header("api-key", "test-key-1")
                .queryParam("api-version", "2099-01-01")
                .when()
                .get("/info")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("unsupported_api_version"))
                .body("error.message", containsString("2024-05-01-preview"));
    }
}
