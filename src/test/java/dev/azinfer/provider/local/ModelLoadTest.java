package dev.azinfer.provider.local;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    void load_at_start_loads_without_a_request() throws Exception {
        try (LocalLlamaProvider provider =
                new LocalLlamaProvider("eager", LocalSettings.tinyModel(true).deployment(), data)) {
            var loading = provider.loading();
            assertNotNull(loading, "the load started with the deployment");
            loading.get(60, TimeUnit.SECONDS);
        }
    }
}
