package dev.azinfer.management;

import static dev.azinfer.support.Admin.admin;
import static dev.azinfer.support.Admin.adminUnchecked;
import static dev.azinfer.support.Admin.body;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.DeploymentStore;
import dev.azinfer.support.Admin;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deployment resource from creation to deletion, through the management API: shape, rate
 * limits, etags, validation, the ARM path form, serving and in-place migration. Run against each
 * store (H2 file, PostgreSQL) by its subclasses.
 */
abstract class DeploymentLifecycleSuite {

    static final String GPT_4O = body("Standard", 120, "OpenAI", "gpt-4o", "2024-08-06", null);

    /** Distinct per store, so the suites never meet each other's deployments. */
    abstract String prefix();

    @Inject
    DeploymentStore store;

    @Inject
    DeploymentService service;

    String name(String suffix) {
        return prefix() + "-" + suffix;
    }

    @Test
    void create_get_list_delete_round_trip_in_arm_shape() {
        String name = name("round-trip");
        JsonPath created = Admin.create(name, GPT_4O);
        assertEquals(name, created.getString("name"));
        assertEquals("Microsoft.CognitiveServices/accounts/deployments", created.getString("type"));
        assertEquals(
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azinfer/providers/Microsoft.CognitiveServices/accounts/azinfer/deployments/"
                        + name,
                created.getString("id"));
        assertEquals("Succeeded", created.getString("properties.provisioningState"));
        assertEquals("2024-08-06", created.getString("properties.model.version"));
        assertEquals("Key", created.getString("systemData.createdByType"));
        assertEquals("true", created.getString("properties.capabilities.chatCompletion"));

        admin().get("/deployments/" + name)
                .then()
                .statusCode(200)
                .header("ETag", created.getString("etag"))
                .body("sku.name", equalTo("Standard"))
                .body("sku.capacity", equalTo(120))
                .body("properties.currentCapacity", equalTo(120));
        admin().get("/deployments").then().statusCode(200).body("value.name", hasItem(name));

        admin().delete("/deployments/" + name).then().statusCode(200);
        admin().get("/deployments/" + name)
                .then()
                .statusCode(404)
                .header("x-ms-error-code", "DeploymentNotFound")
                .body("error.message", containsString(name));
        admin().delete("/deployments/" + name).then().statusCode(204);
        admin().get("/deployments").then().body("value.name", not(hasItem(name)));
    }

    @Test
    void rate_limits_are_derived_from_capacity() {
        String name = name("limits");
        JsonPath d = Admin.create(name, body("GlobalStandard", 120, "OpenAI", "gpt-4o", null, null));
        assertEquals("request", d.getString("properties.rateLimits[0].key"));
        assertEquals(10, d.getInt("properties.rateLimits[0].renewalPeriod"));
        assertEquals(120, d.getInt("properties.rateLimits[0].count"));
        assertEquals("token", d.getString("properties.rateLimits[1].key"));
        assertEquals(60, d.getInt("properties.rateLimits[1].renewalPeriod"));
        assertEquals(120_000, d.getInt("properties.rateLimits[1].count"));
        // no version: the model's default version, as in Azure
        assertEquals("2024-08-06", d.getString("properties.model.version"));

        JsonPath bigger = admin().contentType(ContentType.JSON)
                .body(body("GlobalStandard", 250, "OpenAI", "gpt-4o", null, null))
                .put("/deployments/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(250, bigger.getInt("properties.rateLimits[0].count"));
        assertEquals(250_000, bigger.getInt("properties.rateLimits[1].count"));
    }

    @Test
    void a_new_deployment_serves_at_once_under_its_name() {
        String name = name("serving");
        Admin.create(name, GPT_4O);
        Api.chat("{\"model\":\"" + name.toUpperCase()
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"#echo-model\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("model", equalTo("gpt-4o-2024-08-06"));
        Api.keyed()
                .queryParam("model", name)
                .get("/info")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("gpt-4o"));
    }

    @Test
    void if_match_with_a_stale_etag_is_412_and_changes_nothing() {
        String name = name("etag");
        String etag = Admin.create(name, GPT_4O).getString("etag");
        String newer = admin().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(body("Standard", 10, "OpenAI", "gpt-4o", "2024-08-06", null))
                .put("/deployments/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("etag");
        assertNotEquals(etag, newer);
        admin().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(body("Standard", 99, "OpenAI", "gpt-4o", "2024-08-06", null))
                .put("/deployments/" + name)
                .then()
                .statusCode(412)
                .header("x-ms-error-code", "PreconditionFailed")
                .body("error.message", containsString(newer));
        admin().header("If-Match", etag).delete("/deployments/" + name).then().statusCode(412);
        admin().get("/deployments/" + name).then().body("sku.capacity", equalTo(10));
        admin().contentType(ContentType.JSON)
                .header("If-None-Match", "*")
                .body(GPT_4O)
                .put("/deployments/" + name)
                .then()
                .statusCode(412);
        admin().header("If-Match", newer).delete("/deployments/" + name).then().statusCode(200);
        admin().contentType(ContentType.JSON)
                .header("If-Match", "*")
                .body(GPT_4O)
                .put("/deployments/" + name)
                .then()
                .statusCode(412);
    }

    @Test
    void bad_deployments_are_400_with_azure_errors_and_nothing_is_stored() {
        String name = name("bad");
        record Case(String name, String body, String code, String text) {}
        List<Case> cases = List.of(
                new Case("-x", GPT_4O, "InvalidResourceName", "not valid"),
                new Case(name, "{\"properties\":{}}", "InvalidSku", "sku is required"),
                new Case(name, "not json", "InvalidRequestContent", "not valid JSON"),
                new Case(name, "[]", "InvalidRequestContent", "JSON object"),
                new Case(name, body("Standard", 0, "OpenAI", "gpt-4o", null, null), "InvalidCapacity", "1 to"),
                new Case(name, GPT_4O.replace("120", "\"lots\""), "InvalidCapacity", "whole number"),
                new Case(name, body("Premium", 1, "OpenAI", "gpt-4o", null, null), "InvalidSku", "Premium"),
                new Case(
                        name,
                        body("Standard", 1, "OpenAI", "gpt-9", null, null),
                        "DeploymentModelNotSupported",
                        "gpt-9"),
                new Case(
                        name,
                        body("Standard", 1, "Meta", "gpt-4o", null, null),
                        "DeploymentModelNotSupported",
                        "format"),
                new Case(
                        name,
                        body("Standard", 1, "OpenAI", "gpt-4o", "1999", null),
                        "DeploymentModelNotSupported",
                        "2024-08-06"),
                new Case(
                        name,
                        body("Standard", 1, "OpenAI", "gpt-4o", "2024-05-13", null),
                        "DeploymentModelNotSupported",
                        "retired"),
                new Case(
                        name,
                        body("Standard", 1, "OpenAI", "gpt-4o", null, "Sometimes"),
                        "InvalidResourceProperties",
                        "versionUpgradeOption"),
                new Case(
                        name,
                        "{\"sku\":{\"name\":\"Standard\"},\"properties\":{}}",
                        "InvalidResourceProperties",
                        "properties.model"));
        for (Case c : cases) {
            admin().contentType(ContentType.JSON)
                    .body(c.body())
                    .put("/deployments/" + c.name())
                    .then()
                    .statusCode(400)
                    .header("x-ms-error-code", c.code())
                    .body("error.code", equalTo(c.code()))
                    .body("error.message", containsString(c.text()));
        }
        admin().get("/deployments/" + name).then().statusCode(404);
        admin().get("/deployments").then().body("value.name", not(hasItem(name)));
        given().header("api-key", Admin.KEY)
                .queryParam("api-version", "2022-01-01")
                .get("/deployments")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("unsupported_api_version"));
    }

    @Test
    void the_full_arm_path_works_and_its_scope_is_in_the_id() {
        String name = name("arm");
        String path = Admin.ARM_PREFIX + "/deployments/" + name;
        adminUnchecked()
                .contentType(ContentType.JSON)
                .body(GPT_4O)
                .put(path)
                .then()
                .statusCode(201)
                .body("id", equalTo(path));
        adminUnchecked().get(path).then().statusCode(200).body("name", equalTo(name));
        adminUnchecked()
                .get(Admin.ARM_PREFIX + "/deployments")
                .then()
                .statusCode(200)
                .body("value.id", hasItem(path));
        given().header("api-key", Api.KEY)
                .queryParam("api-version", Admin.VERSION)
                .get(path)
                .then()
                .statusCode(403);
        adminUnchecked().delete(path).then().statusCode(200);
        adminUnchecked().get(path).then().statusCode(404);
    }

    @Test
    void inference_key_is_403_and_no_key_is_401_on_deployments() {
        given().header("api-key", Api.KEY)
                .queryParam("api-version", Admin.VERSION)
                .get("/deployments")
                .then()
                .statusCode(403);
        given().queryParam("api-version", Admin.VERSION)
                .contentType(ContentType.JSON)
                .body(GPT_4O)
                .put("/deployments/" + name("nokey"))
                .then()
                .statusCode(401);
        admin().get("/deployments/" + name("nokey")).then().statusCode(404);
    }

    @Test
    void configured_deployments_are_seeded_and_can_be_resized_keeping_their_provider() {
        JsonPath seeded = admin().get("/deployments/gpt-fake")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("configuration file", seeded.getString("systemData.createdBy"));
        assertEquals("fake-model", seeded.getString("properties.model.name"));
        // azinfer.deployments.gpt-fake.capacity in the test profile
        assertEquals(100000, seeded.getInt("sku.capacity"));
        String format = seeded.getString("properties.model.format");
        admin().contentType(ContentType.JSON)
                .body(body("Standard", 100000, format, "fake-model", "1", null))
                .put("/deployments/gpt-fake")
                .then()
                .statusCode(200)
                .body("properties.provisioningState", equalTo("Succeeded"));
        Api.chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200);
    }

    @Test
    void in_place_migration_switches_version_keeping_name_and_size() {
        String name = name("in-place");
        Admin.create(name, body("Standard", 30, "Microsoft", "phi-lab", "1", "NoAutoUpgrade"));
        chatModel(name, "phi-lab-1");
        JsonPath updating = admin().contentType(ContentType.JSON)
                .body(body("Standard", 30, "Microsoft", "phi-lab", "2", "NoAutoUpgrade"))
                .put("/deployments/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("Updating", updating.getString("properties.provisioningState"));
        assertEquals("2", updating.getString("properties.model.version"));
        JsonPath done = Admin.awaitState(name, "Succeeded");
        assertEquals(30, done.getInt("sku.capacity"));
        chatModel(name, "phi-lab-2");
        admin().get("/deployments/" + name + "/history")
                .then()
                .statusCode(200)
                .body("value.event", equalTo(List.of("Created", "UpdateStarted", "UpdateSucceeded")))
                .body("value[1].detail", containsString("phi-lab@1"))
                .body("value[2].detail", containsString("phi-lab@2"));

        // another model family in place: same name, same size
        admin().contentType(ContentType.JSON)
                .body(body("Standard", 30, "OpenAI", "gpt-4o", "2024-08-06", null))
                .put("/deployments/" + name)
                .then()
                .statusCode(200)
                .body("properties.provisioningState", equalTo("Updating"));
        Admin.awaitState(name, "Succeeded");
        chatModel(name, "gpt-4o-2024-08-06");
    }

    @Test
    void a_migration_whose_new_model_cannot_load_fails_and_the_old_version_keeps_serving() {
        String name = name("failed-switch");
        Admin.create(name, body("Standard", 30, "Microsoft", "phi-lab", "2", "NoAutoUpgrade"));
        migrateToBrokenVersion(name);
        JsonPath failed = Admin.awaitState(name, "Failed");
        // the store holds what serves: a restart serves version 2 too, and the ledger names it
        assertEquals("2", failed.getString("properties.model.version"));
        chatModel(name, "phi-lab-2");
        admin().get("/deployments/" + name + "/history")
                .then()
                .body("value[2].event", equalTo("UpdateFailed"))
                .body("value[2].detail", containsString("the deployment stays as it was, serving"));
        // the same PUT again tries the migration again (the model file may be there now)
        migrateToBrokenVersion(name);
        Admin.awaitState(name, "Failed");
        chatModel(name, "phi-lab-2");
        admin().get("/deployments/" + name + "/history")
                .then()
                .body("value[3].event", equalTo("UpdateStarted"))
                .body("value[3].detail", containsString("after the last one failed"))
                .body("value[4].event", equalTo("UpdateFailed"));
        // the operator moves it back; it serves and succeeds again
        admin().contentType(ContentType.JSON)
                .body(body("Standard", 30, "Microsoft", "phi-lab", "2", "NoAutoUpgrade"))
                .put("/deployments/" + name)
                .then()
                .statusCode(200);
        Admin.awaitState(name, "Succeeded");
        chatModel(name, "phi-lab-2");
    }

    @Test
    void a_migration_waiting_for_its_model_holds_up_no_other_deployment() {
        String name = name("slow-switch");
        Admin.create(name, body("Standard", 30, "Microsoft", "phi-lab", "2", "NoAutoUpgrade"));
        // the new version's model file downloads only when the fake upstream is told to send it
        migrateTo(name, "4-slow");
        // meanwhile the old version serves, and other deployments are created, changed and deleted
        chatModel(name, "phi-lab-2");
        String other = name("beside-slow-switch");
        Admin.create(other, GPT_4O);
        chatModel(other, "gpt-4o-2024-08-06");
        admin().contentType(ContentType.JSON)
                .body(body("Standard", 60, "OpenAI", "gpt-4o", "2024-08-06", null))
                .put("/deployments/" + other)
                .then()
                .statusCode(200)
                .body("sku.capacity", equalTo(60));
        admin().delete("/deployments/" + other).then().statusCode(200);
        // the migrating deployment itself takes no other change until the switch ends
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[]}")
                .put("/deployments/" + name + "/routing")
                .then()
                .statusCode(409)
                .body("error.code", equalTo("AnotherOperationInProgress"));
        assertEquals(
                "Updating", admin().get("/deployments/" + name).then().extract().path("properties.provisioningState"));
        FakeUpstreamResource.upstream().releaseHeldFiles();
        JsonPath done = Admin.awaitState(name, "Succeeded");
        assertEquals("4-slow", done.getString("properties.model.version"));
        admin().get("/deployments/" + name + "/history")
                .then()
                .body("value.event", equalTo(List.of("Created", "UpdateStarted", "UpdateSucceeded")));
    }

    @Test
    void a_migration_another_replica_started_and_left_is_finished_here() {
        String done = name("abandoned-ok");
        Admin.create(done, body("Standard", 30, "Microsoft", "phi-lab", "1", "NoAutoUpgrade"));
        startedByAReplicaThatStopped(done, "2");
        String broken = name("abandoned-broken");
        Admin.create(broken, body("Standard", 30, "Microsoft", "phi-lab", "1", "NoAutoUpgrade"));
        startedByAReplicaThatStopped(broken, "3-broken");

        service.finishAbandonedSwitches();

        assertEquals("2", Admin.awaitState(done, "Succeeded").getString("properties.model.version"));
        chatModel(done, "phi-lab-2");
        // a version that cannot load: the settings from before the migration come back
        assertEquals("1", Admin.awaitState(broken, "Failed").getString("properties.model.version"));
        chatModel(broken, "phi-lab-1");
        admin().get("/deployments/" + broken + "/history")
                .then()
                .body("value.event", equalTo(List.of("Created", "UpdateStarted", "UpdateFailed")));
    }

    /**
     * Writes to the store what a replica writes when it starts migrating {@code name} to another
     * phi-lab version, dated long enough ago that the replica must have stopped before recording how
     * it ended.
     */
    private void startedByAReplicaThatStopped(String name, String version) {
        DeploymentSpec before = store.find(name).orElseThrow();
        Instant longAgo = Instant.now().minus(java.time.Duration.ofHours(1));
        DeploymentSpec after = before.changed(
                        before.skuName(),
                        before.capacity(),
                        before.model().withVersion(version),
                        before.versionUpgradeOption(),
                        DeploymentSpec.Source.CATALOG,
                        DeploymentSpec.UPDATING,
                        "etag-of-another-replica-" + version,
                        longAgo,
                        "another replica")
                .migratingFrom(before);
        store.update(after, before.etag(), "UpdateStarted", "phi-lab@1 to phi-lab@" + version);
    }

    /** PUTs the catalog's version whose model never loads: the migration starts, and will fail. */
    private static void migrateToBrokenVersion(String name) {
        migrateTo(name, "3-broken");
    }

    /** PUTs another phi-lab version (capacity 30, NoAutoUpgrade): the migration starts. */
    private static void migrateTo(String name, String version) {
        admin().contentType(ContentType.JSON)
                .body(body("Standard", 30, "Microsoft", "phi-lab", version, "NoAutoUpgrade"))
                .put("/deployments/" + name)
                .then()
                .statusCode(200)
                .body("properties.provisioningState", equalTo("Updating"));
    }

    @Test
    void the_default_deployment_cannot_be_deleted() {
        // the test profile's default: requests that name no deployment go to it
        admin().delete("/deployments/tiny-stories")
                .then()
                .statusCode(409)
                .body("error.code", equalTo("Conflict"))
                .body("error.message", containsString("default deployment"));
        admin().get("/deployments/tiny-stories").then().statusCode(200);
    }

    @Test
    void traffic_routes_are_checked_and_a_route_target_cannot_be_deleted() {
        String from = name("route-from");
        String to = name("route-to");
        Admin.create(from, GPT_4O);
        Admin.create(to, body("Standard", 10, "Microsoft", "phi-lab", "2", null));
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[{\"deployment\":\"" + to + "\",\"weight\":101}]}")
                .put("/deployments/" + from + "/routing")
                .then()
                .statusCode(400);
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[{\"deployment\":\"" + from + "\",\"weight\":10}]}")
                .put("/deployments/" + from + "/routing")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("InvalidRouting"));
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[{\"deployment\":\"nowhere\",\"weight\":10}]}")
                .put("/deployments/" + from + "/routing")
                .then()
                .statusCode(400)
                .body("error.message", containsString("nowhere"));
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[{\"deployment\":\"" + to + "\",\"weight\":40}]}")
                .put("/deployments/" + from + "/routing")
                .then()
                .statusCode(200)
                .body("ownWeight", equalTo(60))
                .body("routes[0].weight", equalTo(40))
                .body("etag", notNullValue());
        // no chains: the target cannot route on
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[{\"deployment\":\"" + from + "\",\"weight\":10}]}")
                .put("/deployments/" + to + "/routing")
                .then()
                .statusCode(400);
        admin().delete("/deployments/" + to).then().statusCode(409).body("error.message", containsString(from));
        admin().contentType(ContentType.JSON)
                .body("{\"routes\":[]}")
                .put("/deployments/" + from + "/routing")
                .then()
                .statusCode(200)
                .body("ownWeight", equalTo(100));
        admin().delete("/deployments/" + to).then().statusCode(200);
    }

    static void chatModel(String deployment, String expectedModel) {
        Api.chat("{\"model\":\"" + deployment + "\",\"messages\":[{\"role\":\"user\",\"content\":\"#echo-model\"}]}")
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("model", equalTo(expectedModel));
    }
}
