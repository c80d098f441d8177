package dev.azinfer.management;

import static dev.azinfer.support.Admin.admin;
import static dev.azinfer.support.Admin.body;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.azinfer.support.Admin;
import dev.azinfer.support.Api;
import dev.azinfer.support.TestClock;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The version upgrade policies, driven by the test clock: the catalog's phi-lab has version 1
 * (retires 2030-03-01) and version 2 (the default since 2030-01-15). Each test creates its
 * deployments on version 1 in January 2030 and moves the clock.
 */
abstract class UpgradePolicySuite {

    @Inject
    TestClock clock;

    @Inject
    VersionUpgrades upgrades;

    abstract String prefix();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private String deployOnVersion1(String suffix, String option) {
        clock.set(Instant.parse("2030-01-10T08:00:00Z"));
        String name = prefix() + "-" + suffix;
        Admin.create(name, body("Standard", 5, "Microsoft", "phi-lab", "1", option));
        return name;
    }

    private List<String> runOn(String day, String name) {
        clock.set(Instant.parse(day + "T12:00:00Z"));
        return upgrades.run().stream().filter(name::equals).toList();
    }

    @Test
    void once_new_default_moves_when_the_new_default_is_designated() {
        String name = deployOnVersion1("new-default", "OnceNewDefaultVersionAvailable");
        assertEquals(List.of(), runOn("2030-01-14", name), "version 2 is not the default yet");
        assertEquals(List.of(name), runOn("2030-01-15", name));
        assertEquals("2", Admin.awaitState(name, "Succeeded").getString("properties.model.version"));
        DeploymentLifecycleSuite.chatModel(name, "phi-lab-2");
        admin().get("/deployments/" + name + "/history")
                .then()
                .body("value[1].event", equalTo("AutoUpgradeStarted"))
                .body("value[1].actor", equalTo("version upgrade policy"))
                .body("value[1].detail", containsString("became the default on 2030-01-15"))
                .body("value[2].event", equalTo("UpdateSucceeded"));
        assertEquals(List.of(), runOn("2030-01-16", name), "nothing left to move");
    }

    @Test
    void once_current_version_expired_moves_at_retirement() {
        String name = deployOnVersion1("expired", "OnceCurrentVersionExpired");
        assertEquals(List.of(), runOn("2030-02-28", name), "a new default alone does not move it");
        assertEquals(List.of(name), runOn("2030-03-01", name));
        assertEquals("2", Admin.awaitState(name, "Succeeded").getString("properties.model.version"));
        DeploymentLifecycleSuite.chatModel(name, "phi-lab-2");
    }

    @Test
    void null_upgrade_option_behaves_as_once_current_version_expired() {
        String name = deployOnVersion1("null-option", null);
        admin().get("/deployments/" + name).then().body("properties.versionUpgradeOption", equalTo(null));
        assertEquals(List.of(), runOn("2030-02-28", name));
        assertEquals(List.of(name), runOn("2030-03-01", name));
        assertEquals("2", Admin.awaitState(name, "Succeeded").getString("properties.model.version"));
    }

    @Test
    void no_auto_upgrade_stays_and_stops_serving_at_retirement_with_a_clear_error() {
        String name = deployOnVersion1("pinned", "NoAutoUpgrade");
        assertEquals(List.of(), runOn("2030-02-28", name));
        DeploymentLifecycleSuite.chatModel(name, "phi-lab-1");
        assertEquals(List.of(), runOn("2030-03-01", name));
        admin().get("/deployments/" + name).then().body("properties.model.version", equalTo("1"));
        Api.chat("{\"model\":\"" + name + "\",\"messages\":[{\"role\":\"user\",\"content\":\"#echo-model\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(404)
                .header("x-ms-error-code", "model_retired")
                .body("error.message", containsString("version 1, which retired on 2030-03-01"))
                .body("error.message", containsString("NoAutoUpgrade"))
                .body("error.message", containsString("the default is 2"));
        // nor does the connector's drop-down offer it
        io.restassured.RestAssured.given()
                .header("api-key", Api.KEY)
                .get("/model-deployments")
                .then()
                .statusCode(200)
                .body("value.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
        // the operator's way out: move it to a current version
        admin().contentType(io.restassured.http.ContentType.JSON)
                .body(body("Standard", 5, "Microsoft", "phi-lab", "2", "NoAutoUpgrade"))
                .put("/deployments/" + name)
                .then()
                .statusCode(200);
        Admin.awaitState(name, "Succeeded");
        DeploymentLifecycleSuite.chatModel(name, "phi-lab-2");
        io.restassured.RestAssured.given()
                .header("api-key", Api.KEY)
                .get("/model-deployments")
                .then()
                .body("value.name", org.hamcrest.Matchers.hasItem(name));
    }
}
