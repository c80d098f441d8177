package dev.azinfer.provider.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.azinfer.api.ExtraParameters;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.provider.ChatRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the in-process model loads: at the first call that needs it by default, so an idle
 * service holds neither llama.cpp nor the model; at start with {@code local.load-at-start}.
 */
class ModelLoadTest {

    @TempDir
    Path data;

    @Test
    void the_model_loads_when_first_needed_not_at_start() throws Exception {
        try (LocalLlamaProvider provider =
                new LocalLlamaProvider("lazy", LocalSettings.tinyModel(false).deployment(), data)) {
            assertNull(provider.loading(), "nothing loaded before a request");
            provider.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
            var loaded = provider.loading();
            assertNotNull(loaded);
            assertTrue(loaded.isDone() && !loaded.isCompletedExceptionally());
            provider.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertSame(loaded, provider.loading(), "loaded once");
        }
    }

    @Test
    void a_client_leaving_while_the_model_loads_leaves_the_load_to_the_next_requests() throws Exception {
        // the model comes from a host that holds the download until the client has left
        CountDownLatch clientLeft = new CountDownLatch(1);
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/model.gguf", exchange -> {
            try {
                clientLeft.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] model = Files.readAllBytes(
                    LocalSettings.tinyModel(false).modelPath().orElseThrow());
            exchange.sendResponseHeaders(200, model.length);
            try (var body = exchange.getResponseBody()) {
                body.write(model);
            }
        });
        host.start();
        URI url = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/model.gguf");
        ChatRequest request = new ChatRequest(
                new ObjectMapper()
                        .readValue(
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}]}",
                                ChatCompletionsOptions.class),
                JsonNodeFactory.instance.objectNode(),
                ExtraParameters.ERROR);
        try (LocalLlamaProvider provider =
                new LocalLlamaProvider("left", LocalSettings.downloadedFrom(url).deployment(), data)) {
            provider.complete(request)
                    .subscribe()
                    .with(answer -> {}, failure -> {})
                    .cancel();
            clientLeft.countDown();
            var loading = provider.loading();
            assertNotNull(loading, "the request started the load");
            assertFalse(loading.isCancelled(), "one client leaving does not cancel the load the others share");
            assertNotNull(loading.get(60, TimeUnit.SECONDS), "the load went on for the next requests");
        } finally {
            host.stop(0);
        }
    }

    @Test
    void load_at_start_loads_without_a_request() throws Exception {
        try (LocalLlamaProvider provider =
                new LocalLlamaProvider("eager", LocalSettings.tinyModel(true).deployment(), data)) {
            var loading = provider.loading();
            assertNotNull(loading, "the load started with the deployment");
            loading.get(60, TimeUnit.SECONDS);
        }
    }
}
