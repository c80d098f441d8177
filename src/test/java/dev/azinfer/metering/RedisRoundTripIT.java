package dev.azinfer.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.ServiceProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A client that leaves while its admission is being counted in Redis. Redis counts what it was
 * sent, so the service must give the request's token estimate back once the count comes back, or
 * the estimate holds the deployment's token window for up to a minute. The service reaches the
 * real Redis that .ci/run starts through a proxy that delays Redis's answers by 0.8 s (inside the
 * second the limits give Redis), so that the client can leave in the middle of the round trip.
 */
@EnabledIfEnvironmentVariable(named = "AZINFER_TEST_REDIS_URL", matches = ".+")
class RedisRoundTripIT {

    private static final Duration DELAY = Duration.ofMillis(800);

    @Test
    void a_client_that_leaves_while_redis_counts_it_has_its_token_estimate_given_back() throws Exception {
        URI redis = URI.create(System.getenv("AZINFER_TEST_REDIS_URL"));
        try (SlowAnswers proxy = new SlowAnswers(redis.getHost(), redis.getPort(), DELAY)) {
            ServiceProcess service = new ServiceProcess(
                    Files.createTempDirectory(Path.of("target"), "it-redis-round-trip-"),
                    Map.of("azinfer.limits.redis-url", "redis://127.0.0.1:" + proxy.port()));
            service.start();
            // a name of its own: another run within the same minute on the same Redis counts elsewhere
            String deployment = "round-trip-" + Long.toString(Math.floorMod(System.nanoTime(), 1_000_000_000L), 36);
            try {
                service.put(
                        "/deployments/" + deployment,
                        "{\"sku\":{\"name\":\"Standard\",\"capacity\":10},\"properties\":{\"model\":"
                                + "{\"format\":\"TinyLlamas\",\"name\":\"stories260K\",\"version\":\"1\"}}}");
                // the connections to Redis are made, and their first answers waited for, by earlier requests
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, service.chat("tiny-stories"));
                }
                // well inside one 60 s token window
                while (System.currentTimeMillis() % 60_000 > 40_000) {
                    Thread.sleep(500);
                }
                String tokens = "azinfer:limit:{" + deployment + "}:tokens:" + System.currentTimeMillis() / 60_000;
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), service.port)) {
                    String body = "{\"model\":\"" + deployment + "\",\"max_tokens\":4000,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}";
                    client.getOutputStream()
                            .write(("POST /chat/completions?api-version=2024-05-01-preview HTTP/1.1\r\n"
                                            + "Host: 127.0.0.1\r\napi-key: " + ServiceProcess.KEY + "\r\n"
                                            + "Content-Type: application/json\r\nContent-Length: "
                                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                                    .getBytes(StandardCharsets.UTF_8));
                    client.getOutputStream().flush();
                    // counted in Redis, its answer still held by the proxy: the client leaves then
                    long counted = 0;
                    for (int i = 0; i < 100 && counted == 0; i++) {
                        Thread.sleep(5);
                        counted = get(redis, tokens);
                    }
                    assertTrue(counted >= 4000, "the request was counted before the client left: " + counted);
                }
                long givenBack = -1;
                for (int i = 0; i < 40 && givenBack != 0; i++) {
                    Thread.sleep(100);
                    givenBack = get(redis, tokens);
                }
                System.out.printf("client gone inside the Redis round trip: window back to %d tokens%n", givenBack);
                assertEquals(0, givenBack, "the estimate of a request that did not run still holds the window");
            } finally {
                service.kill();
            }
        }
    }

    /** A counter's value in Redis (0 when absent), with a bare RESP GET. */
    private static long get(URI redis, String key) throws IOException {
        try (Socket s = new Socket(redis.getHost(), redis.getPort())) {
            s.getOutputStream()
                    .write(("*2\r\n$3\r\nGET\r\n$" + key.getBytes(StandardCharsets.UTF_8).length + "\r\n" + key
                                    + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String header = in.readLine();
            return header.startsWith("$-1") ? 0 : Long.parseLong(in.readLine().trim());
        }
    }

    /** A TCP proxy to Redis that passes requests on at once and holds each answer for a while. */
    private static final class SlowAnswers implements AutoCloseable {
        private final ServerSocket server;

        SlowAnswers(String host, int port, Duration delay) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(host, port);
                        pump(client.getInputStream(), upstream.getOutputStream(), Duration.ZERO);
                        pump(upstream.getInputStream(), client.getOutputStream(), delay);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(InputStream from, OutputStream to, Duration delay) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.read(buffer)) > 0; ) {
                        // answers are tiny: one read each, held the same time whatever came before
                        Thread.sleep(delay.toMillis());
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                } catch (IOException | InterruptedException gone) {
                    // either side closed
                } finally {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
