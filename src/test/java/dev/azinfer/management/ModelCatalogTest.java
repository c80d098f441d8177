package dev.azinfer.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The model catalog on the management API, behind its own admin key. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class ModelCatalogTest {

    private static final String ADMIN = "test-admin-key";

    @Test
    void catalog_lists_every_version_with_default_flag_and_lifecycle_dates() {
        given().header("api-key", ADMIN)
                .queryParam("api-version", "2023-05-01")
                .when()
                .get("/models")
                .then()
                .statusCode(200)
                .body("value", hasSize(7))
                .body(
                        "value.find { it.model.name == 'gpt-4o' && it.model.version == '2024-05-13' }.model.isDefaultVersion",
                        equalTo(false))
                .body(
                        "value.find { it.model.name == 'gpt-4o' && it.model.version == '2024-05-13' }.model.lifecycleStatus",
                        equalTo("Deprecated"))
                .body(
                        "value.find { it.model.name == 'gpt-4o' && it.model.version == '2024-05-13' }.model.deprecation.inference",
                        equalTo("2025-06-30"))
                .body("value.find { it.model.version == '2024-08-06' }.model.isDefaultVersion", equalTo(true))
                .body(
                        "value.find { it.model.version == '2024-08-06' }.model.lifecycleStatus",
                        equalTo("GenerallyAvailable"))
                .body("value.find { it.model.version == '2024-08-06' }.model.defaultSince", equalTo("2024-11-20"))
                .body("value.find { it.model.version == '2024-08-06' }.model.format", equalTo("OpenAI"))
                .body(
                        "value.find { it.model.name == 'stories260K' }.model.capabilities.text_generation",
                        equalTo("true"))
                .body("value.find { it.model.name == 'stories260K' }.model.deprecation", nullValue());
    }

    @Test
    void inference_key_is_403_on_the_management_api() {
        given().header("api-key", Api.KEY)
                .queryParam("api-version", "2023-05-01")
                .when()
                .get("/models")
                .then()
                .statusCode(403)
                .header("x-ms-error-code", "forbidden")
                .body("error.code", equalTo("forbidden"));
    }

    @Test
    void missing_or_wrong_key_is_401_on_the_management_api() {
        given().queryParam("api-version", "2023-05-01")
                .when()
                .get("/models")
                .then()
                .statusCode(401);
        given().header("api-key", "nope")
                .queryParam("api-version", "2023-05-01")
                .when()
                .get("/models")
                .then()
                .statusCode(401);
    }

    @Test
    void admin_key_does_not_open_the_inference_api() {
        given().header("api-key", ADMIN)
                .queryParam("api-version", Api.VERSION)
                .when()
                .get("/info")
                .then()
                .statusCode(401);
    }

    @Test
    void management_api_version_is_required_and_2023_05_01_or_later() {
        given().header("api-key", ADMIN)
                .when()
                .get("/models")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("missing_api_version"));
        given().header("api-key", ADMIN)
                .queryParam("api-version", "2022-12-01")
                .when()
                .get("/models")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("unsupported_api_version"));
        given().header("api-key", ADMIN)
                .queryParam("api-version", "2024-10-01")
                .when()
                .get("/models")
                .then()
                .statusCode(200);
    }

    @Test
    void inference_paths_under_models_still_take_inference_keys() {
        Api.keyed().when().get("/models/info").then().statusCode(200);
    }
}
