package dev.azinfer.provider.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-time model download against a real HTTP server on loopback standing in for the model
 * host: a complete file, an error status, a body cut short, and a host that stops sending.
 */
class ModelDownloadTest {

    private static final Path MODEL = Path.of("..", "shared", "models", "stories260K.gguf");

    @TempDir
    Path data;

    private HttpServer host;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/model.gguf", exchange -> send(exchange, Files.readAllBytes(MODEL)));
        host.createContext("/missing.gguf", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        host.createContext("/cut.gguf", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[100]);
            exchange.getResponseBody().flush();
            // the connection goes away with 900 bytes still owed
            exchange.getHttpContext().getServer().stop(0);
        });
        host.createContext("/stalls.gguf", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream body = exchange.getResponseBody();
            body.write(new byte[100]);
            body.flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        host.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        host.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        host.stop(0);
    }

    @Test
    void a_complete_download_gets_the_final_name() throws IOException {
        Path file = locator("model.gguf").locate();
        assertEquals(data.resolve("models").resolve("fetched.gguf"), file);
        assertArrayEquals(Files.readAllBytes(MODEL), Files.readAllBytes(file));
        assertEquals(List.of(file), leftovers());
    }

    @Test
    void partial_files_a_killed_download_left_are_removed_and_a_live_one_is_kept() throws IOException {
        Path models = Files.createDirectories(data.resolve("models"));
        Path abandoned = Files.write(models.resolve("fetched.gguf.123.part"), new byte[1000]);
        Files.setLastModifiedTime(
                abandoned, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        // written a minute ago (the stall timeout here is 0.5 s): perhaps another deployment's download, slower to give
        // up
        Path live = Files.write(models.resolve("fetched.gguf.456.part"), new byte[1000]);
        Files.setLastModifiedTime(
                live, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path other = Files.write(models.resolve("other.gguf.789.part"), new byte[10]);
        Files.setLastModifiedTime(
                other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path file = locator("model.gguf").locate();
        assertEquals(
                List.of(file, live, other).stream().sorted().toList(),
                leftovers().stream().sorted().toList());
    }

    @Test
    void an_error_status_leaves_no_file() {
        IOException e =
                assertThrows(IOException.class, () -> locator("missing.gguf").locate());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void a_body_cut_short_leaves_no_file() {
        assertThrows(IOException.class, () -> locator("cut.gguf").locate());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void a_host_that_stops_sending_is_abandoned_after_the_stall_timeout() {
        long start = System.nanoTime();
        IOException e =
                assertThrows(IOException.class, () -> locator("stalls.gguf").locate());
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("received nothing for 500 ms"), e.getMessage());
        assertTrue(waited >= 500 && waited < 20_000, "waited " + waited + " ms");
        assertEquals(List.of(), leftovers());
    }

    private ModelFileLocator locator(String path) {
        URI url = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/" + path);
        return new ModelFileLocator(LocalSettings.downloadedFrom(url), data);
    }

    private List<Path> leftovers() {
        try (var files = Files.list(data.resolve("models"))) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
