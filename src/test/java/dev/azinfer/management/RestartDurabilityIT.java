package dev.azinfer.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.support.PostgresStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing an operator set is lost when the service stops: the packaged service (as the README
 * runs it) is started as a process, deployments are created, changed, routed and deleted, and the
 * process is killed hard (SIGKILL, right after the last answer), then stopped gracefully; after
 * each restart the deployments, their etags, routes and history are as they were, and they serve.
 * Runs on the H2 file, and on PostgreSQL where {@value PostgresStore#URL_VARIABLE} is set.
 */
class RestartDurabilityIT {

    private static final String ADMIN = "it-admin-key";
    private static final String KEY = "it-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
    void deployments_survive_a_hard_kill_and_a_graceful_stop(String store, Map<String, String> settings)
            throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-restart-" + store + "-");
        int port = freePort();
        Service service = new Service(dataDir, port, settings);
        service.start();
        put(port, "/deployments/story-a", deployment(7));
        put(port, "/deployments/story-b", deployment(3));
        put(port, "/deployments/story-a", deployment(9));
        put(port, "/deployments/story-a/routing", "{\"routes\":[{\"deployment\":\"story-b\",\"weight\":25}]}");
        assertEquals(
                200, call(port, "DELETE", "/deployments/tiny-stories", null).statusCode());
        String before = state(port);
        if (store.equals("h2")) {
            assertTrue(
                    Files.exists(dataDir.resolve("store").resolve("azinfer.mv.db")),
                    "the H2 file is in the data folder");
        }

        service.kill();
        service.start();
        assertEquals(before, state(port), "after a hard kill");
        assertEquals(200, chat(port, "story-a"));

        service.stop();
        service.start();
        assertEquals(before, state(port), "after a graceful stop");
        assertEquals(200, chat(port, "story-b"));
        service.kill();
    }

    /** Two replicas on one PostgreSQL: what one changes, the other serves within its refresh interval. */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
    void replicas_sharing_postgresql_see_each_others_changes() throws Exception {
        Map<String, String> settings = PostgresStore.settings(PostgresStore.SCHEMA + "_replicas");
        Service first =
                new Service(Files.createTempDirectory(Path.of("target"), "it-replica-1-"), freePort(), settings);
        Service second =
                new Service(Files.createTempDirectory(Path.of("target"), "it-replica-2-"), freePort(), settings);
        first.start();
        second.start();
        try {
            put(first.port, "/deployments/shared-story", deployment(4));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status;
            do {
                Thread.sleep(100);
                status = chat(second.port, "shared-story");
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, "the second replica serves the deployment the first made");
            assertEquals(
                    200,
                    call(second.port, "DELETE", "/deployments/shared-story", null)
                            .statusCode());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                Thread.sleep(100);
                status = chat(first.port, "shared-story");
            } while (status != 404 && System.nanoTime() < deadline);
            assertEquals(404, status, "the first replica stops serving what the second deleted");
        } finally {
            first.kill();
            second.kill();
        }
    }

    private static String deployment(int capacity) {
        return "{\"sku\":{\"name\":\"Standard\",\"capacity\":" + capacity
                + "},\"properties\":{\"model\":{\"format\":\"TinyLlamas\",\"name\":\"stories260K\",\"version\":\"1\"}}}";
    }

    /** Everything the management API says of the deployments: the list (with etags) and each one's routes and history. */
    private static String state(int port) throws Exception {
        JsonNode list = JSON.readTree(call(port, "GET", "/deployments", null).body());
        StringBuilder sb = new StringBuilder(list.toString());
        List<String> names = new ArrayList<>();
        list.get("value").forEach(d -> names.add(d.get("name").asText()));
        assertEquals(List.of("story-a", "story-b"), names, "deleted seeded deployment stays deleted");
        for (String name : names) {
            sb.append(
                    call(port, "GET", "/deployments/" + name + "/routing", null).body());
            sb.append(
                    call(port, "GET", "/deployments/" + name + "/history", null).body());
        }
        return sb.toString();
    }

    private static void put(int port, String path, String body) throws Exception {
        HttpResponse<String> r = call(port, "PUT", path, body);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, path + ": " + r.statusCode() + " " + r.body());
    }

    private static int chat(int port, String deployment) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/chat/completions?api-version=2024-05-01-preview"))
                .header("api-key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + deployment
                        + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path + "?api-version=2023-05-01"))
                .header("api-key", ADMIN)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final class Service {
        private final Path dataDir;
        final int port;
        private final Map<String, String> settings;
        private Process process;

        Service(Path dataDir, int port, Map<String, String> settings) {
            this.dataDir = dataDir;
            this.port = port;
            this.settings = settings;
        }

        void start() throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.http.ssl-port=0",
                    "-Dazinfer.data-dir=" + dataDir.toAbsolutePath(),
                    "-Dazinfer.api-keys=" + KEY,
                    "-Dazinfer.admin-keys=" + ADMIN));
            settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of(
                    "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dataDir.resolve("service.log").toFile()))
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                assertTrue(process.isAlive(), "the service exited; see " + dataDir.resolve("service.log"));
                try {
                    if (call(port, "GET", "/deployments", null).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the service did not start in 90 s; see " + dataDir.resolve("service.log"));
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed on the way out. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }

        /** SIGTERM: the service shuts down as it does on Ctrl-C. */
        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
