package dev.azinfer.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.support.PostgresStore;
import dev.azinfer.support.ServiceProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing an operator set or a client used is lost when the service stops: the packaged service
 * is started as a process, deployments are created, changed, routed and deleted and used, and the
 * process is killed hard (SIGKILL, right after the last answer), then stopped gracefully; after
 * each restart the deployments, their etags, routes, history and the usage ledger are as they
 * were, and they serve. Runs on the H2 file, and on PostgreSQL where
 * {@value PostgresStore#URL_VARIABLE} is set.
 */
class RestartDurabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> stores() {
        List<Arguments> stores = new ArrayList<>();
        stores.add(Arguments.of("h2", Map.of()));
        if (System.getenv(PostgresStore.URL_VARIABLE) != null) {
            stores.add(Arguments.of("postgresql", PostgresStore.settings()));
        }
        return stores.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void deployments_and_usage_survive_a_hard_kill_and_a_graceful_stop(String store, Map<String, String> settings)
            throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-restart-" + store + "-");
        Map<String, String> withJournal = new HashMap<>(settings);
        // records stay in the journal file until something reads the ledger: the kill finds them there
        withJournal.put("azinfer.store.ledger-interval", "1h");
        ServiceProcess service = new ServiceProcess(dataDir, withJournal);
        service.start();
        service.put("/deployments/story-a", deployment(7));
        service.put("/deployments/story-b", deployment(3));
        service.put("/deployments/story-a", deployment(9));
        service.put("/deployments/story-a/routing", "{\"routes\":[{\"deployment\":\"story-b\",\"weight\":25}]}");
        assertEquals(
                200, service.call("DELETE", "/deployments/tiny-stories", null).statusCode());
        assertEquals(200, service.chat("story-b"));
        String before = state(service);
        if (store.equals("h2")) {
            assertTrue(
                    Files.exists(dataDir.resolve("store").resolve("azinfer.mv.db")),
                    "the H2 file is in the data folder");
        }
        // answered, so in the journal, but not yet in the database when the process dies
        assertEquals(200, service.chat("story-b"));
        long answered = requests(before);

        service.kill();
        service.start();
        String afterKill = state(service);
        assertEquals(withoutUsage(before), withoutUsage(afterKill), "after a hard kill");
        assertEquals(answered + 1, requests(afterKill), "the last request, journaled only, after a hard kill");
        assertEquals(200, service.chat("story-a"));
        before = state(service);
        assertEquals(200, service.chat("story-a"));
        answered = requests(before);

        service.stop();
        service.start();
        String afterStop = state(service);
        assertEquals(withoutUsage(before), withoutUsage(afterStop), "after a graceful stop");
        assertEquals(answered + 1, requests(afterStop), "the last request after a graceful stop");
        assertEquals(200, service.chat("story-b"));
        service.kill();
    }

    /**
     * A replica killed during an in-place migration leaves the deployment {@code Updating}; the next
     * start finishes the switch. Here the new version's model never arrives (its host accepts the
     * connection and sends nothing): the version from before the migration serves meanwhile, the
     * switch fails, and the deployment is put back as it was before the migration.
     */
    @Test
    void a_migration_left_unfinished_by_a_killed_replica_that_fails_at_the_next_start_restores_the_deployment()
            throws Exception {
        try (ServerSocket silentHost = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String version = "azinfer.catalog.stories260K.versions.\"2-unreachable\".";
            Map<String, String> settings = Map.of(
                    version + "provider", "local",
                    version + "local.file-name", "unreachable-stories.gguf",
                    version + "local.download-url",
                            "http://127.0.0.1:" + silentHost.getLocalPort() + "/stories260K.gguf",
                    version + "local.download-stall-timeout", "15s");
            ServiceProcess service =
                    new ServiceProcess(Files.createTempDirectory(Path.of("target"), "it-unfinished-switch-"), settings);
            service.start();
            service.put("/deployments/story-m", deployment(5));
            service.put("/deployments/story-m", deployment(5).replace("\"1\"", "\"2-unreachable\""));
            service.kill();

            service.start();
            // while the new version's download stalls, the version from before the migration serves
            assertEquals(200, service.chat("story-m"));
            assertEquals(
                    "Updating",
                    JSON.readTree(service.call("GET", "/deployments/story-m", null)
                                    .body())
                            .at("/properties/provisioningState")
                            .asText(),
                    "the answer came while the switch was still under way");
            JsonNode after = awaitFinished(service, "story-m");
            assertEquals("Failed", after.at("/properties/provisioningState").asText(), after.toString());
            assertEquals("1", after.at("/properties/model/version").asText(), after.toString());
            assertEquals(200, service.chat("story-m"));
            String history =
                    service.call("GET", "/deployments/story-m/history", null).body();
            assertTrue(history.contains("the deployment stays as it was"), history);
            service.kill();
        }
    }

    private static JsonNode awaitFinished(ServiceProcess service, String deployment) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode d;
        do {
            Thread.sleep(200);
            d = JSON.readTree(
                    service.call("GET", "/deployments/" + deployment, null).body());
        } while (d.at("/properties/provisioningState").asText().equals("Updating") && System.nanoTime() < deadline);
        return d;
    }

    /** Two replicas on one PostgreSQL: what one changes, the other serves within its refresh interval. */
    @Test
    @EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
    void replicas_sharing_postgresql_see_each_others_changes() throws Exception {
        Map<String, String> settings = PostgresStore.settings(PostgresStore.SCHEMA + "_replicas");
        ServiceProcess first =
                new ServiceProcess(Files.createTempDirectory(Path.of("target"), "it-replica-1-"), settings);
        ServiceProcess second =
                new ServiceProcess(Files.createTempDirectory(Path.of("target"), "it-replica-2-"), settings);
        first.start();
        second.start();
        try {
            first.put("/deployments/shared-story", deployment(4));
            assertEquals(200, awaitChat(second, "shared-story", 200), "the second replica serves what the first made");
            assertEquals(
                    200,
                    second.call("DELETE", "/deployments/shared-story", null).statusCode());
            assertEquals(404, awaitChat(first, "shared-story", 404), "the first stops serving what the second deleted");
        } finally {
            first.kill();
            second.kill();
        }
    }

    private static int awaitChat(ServiceProcess service, String deployment, int wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        do {
            Thread.sleep(100);
            status = service.chat(deployment);
        } while (status != wanted && System.nanoTime() < deadline);
        return status;
    }

    static String deployment(int capacity) {
        return "{\"sku\":{\"name\":\"Standard\",\"capacity\":" + capacity
                + "},\"properties\":{\"model\":{\"format\":\"TinyLlamas\",\"name\":\"stories260K\",\"version\":\"1\"}}}";
    }

    private static String withoutUsage(String state) {
        return state.substring(0, state.lastIndexOf(USAGE));
    }

    /**
     * The requests the ledger has, all deployments and outcomes: the ledger names the deployment
     * that served a request, and story-a sends a quarter of its traffic to story-b.
     */
    private static long requests(String state) throws Exception {
        JsonNode usage = JSON.readTree(state.substring(state.lastIndexOf(USAGE) + USAGE.length()));
        long total = 0;
        for (JsonNode row : usage.get("value")) {
            total += row.get("requests").asLong();
        }
        return total;
    }

    private static final String USAGE = "\n--usage--\n";

    /** Everything the management API says: the deployments (with etags), each one's routes and history, the ledger. */
    private static String state(ServiceProcess service) throws Exception {
        JsonNode list = JSON.readTree(service.call("GET", "/deployments", null).body());
        StringBuilder sb = new StringBuilder(list.toString());
        List<String> names = new ArrayList<>();
        list.get("value").forEach(d -> names.add(d.get("name").asText()));
        assertEquals(List.of("story-a", "story-b"), names, "deleted seeded deployment stays deleted");
        for (String name : names) {
            sb.append(service.call("GET", "/deployments/" + name + "/routing", null)
                    .body());
            sb.append(service.call("GET", "/deployments/" + name + "/history", null)
                    .body());
        }
        String usage = service.call("GET", "/usage", "&from=2000-01-01&to=2100-01-01&groupBy=deployment,outcome", null)
                .body();
        assertTrue(usage.contains("\"requests\""), "the ledger has the requests: " + usage);
        return sb.append(USAGE).append(usage).toString();
    }
}
