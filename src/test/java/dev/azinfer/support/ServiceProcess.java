package dev.azinfer.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * TEST TOOL: the packaged service (target/quarkus-app, as the README runs it) as a separate
 * process on loopback, with its own data folder, keys and settings, for tests that kill it,
 * restart it or run several replicas.
 */
public final class ServiceProcess {

    public static final String ADMIN = "it-admin-key";
    public static final String KEY = "it-key";
    /** No call may hang a test: an answer takes well under this, even from the local model. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A client per process start: connections pooled to a process that was killed must not be
     * reused for the next one on the same port (a request sent on one waited forever).
     */
    private HttpClient http;

    private final Path dataDir;
    public final int port;
    private final Map<String, String> settings;
    private Process process;

    public ServiceProcess(Path dataDir, Map<String, String> settings) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.settings = settings;
    }

    public void start() throws Exception {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
        launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the service exited; see " + dataDir.resolve("service.log"));
            try {
                HttpRequest probe = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/deployments?api-version=2023-05-01"))
                        .header("api-key", ADMIN)
                        .timeout(Duration.ofSeconds(2))
                        .build();
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not start in 90 s; see " + dataDir.resolve("service.log"));
    }

    /** Starts a process that must refuse to start: waits for it to exit, non-zero; answers its log. */
    public String refusedStart() throws Exception {
        launch();
        assertTrue(
                process.waitFor(90, TimeUnit.SECONDS),
                "the service did not stop; see " + dataDir.resolve("service.log"));
        assertTrue(process.exitValue() != 0, "the service exited with 0");
        return Files.readString(dataDir.resolve("service.log"));
    }

    private void launch() throws IOException {
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
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    /** SIGTERM: the service shuts down as it does on Ctrl-C. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    public void put(String path, String body) throws Exception {
        HttpResponse<String> r = call("PUT", path, body);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, path + ": " + r.statusCode() + " " + r.body());
    }

    public int chat(String deployment) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/chat/completions?api-version=2024-05-01-preview"))
                .header("api-key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + deployment
                        + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}"))
                .timeout(ANSWER_TIMEOUT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
    /** GetModelInfo for a deployment (no limit is counted); its status. */
    public int info(String deployment) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/info?api-version=2024-05-01-preview&model=" + deployment))
                .header("api-key", KEY)
                .timeout(ANSWER_TIMEOUT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A management call with the admin key. */
    public HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, "", body);
    }

    /** The same, with more query parameters ({@code &a=b}) after the api-version. */
    public HttpResponse<String> call(String method, String path, String query, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path + "?api-version=2023-05-01" + query))
                .header("api-key", ADMIN)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(ANSWER_TIMEOUT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
