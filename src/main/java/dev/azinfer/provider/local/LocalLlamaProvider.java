package dev.azinfer.provider.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.ChatProvider;
import dev.azinfer.provider.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A GGUF model run in-process by llama.cpp ({@code de.kherud:llama}). Generation runs on this
 * provider's own threads, one per llama.cpp slot, never on the event loop; requests beyond the
 * slots wait in the executor's queue.
 */
public final class LocalLlamaProvider implements ChatProvider {

    private static final Logger LOG = Logger.getLogger(LocalLlamaProvider.class);

    private static final java.time.Duration LOAD_WAIT = java.time.Duration.ofSeconds(30);

    private final String name;
    private final ProviderConfig.LocalModelConfig config;
    private final ModelFileLocator locator;
    private final ExecutorService executor;
    /**
     * llama.cpp's model loading and freeing share process-wide state: two at once (deployments
     * created together, or one closed by a migration while another loads) crashed the JVM.
     */
    private static final Object NATIVE = new Object();

    /** The model file, looked for (and downloaded if need be) when the deployment starts, and again by a retry. */
    private volatile CompletableFuture<Path> file;
    /**
     * The model in memory: null until the first request (or start, with {@code local.load-at-start});
     * then the current load, the first or a retry after it failed.
     */
    private volatile CompletableFuture<LlamaModel> model;
    /** When the current load failed ({@link System#nanoTime}); set before its future fails. */
    private volatile long failedAt;

    public LocalLlamaProvider(String name, ProviderConfig deployment, Path dataDir) {
        this.name = name;
        this.config = deployment.local();
        this.locator = new ModelFileLocator(config, dataDir);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.parallel(), r -> {
            Thread t = new Thread(r, "local-model-" + name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // the library extracts its native code to a temp folder and deletes other 'llama*' entries there: keep it
        // private
        System.setProperty(
                "de.kherud.llama.tmpdir",
                dataDir.resolve("native").toAbsolutePath().toString());
        this.file = CompletableFuture.supplyAsync(this::locate, executor);
        if (config.loadAtStart()) {
            model();
        } else {
            file.thenAccept(
                    found -> LOG.infof("Deployment '%s': model file %s; it loads at the first request", name, found));
        }
    }

    /**
     * The model's load, started by the first call. One that failed (no file yet, say) is started
     * again, file search included, by a call that comes {@code local.load-retry} after it, so a
     * file put in place later is found without recreating the deployment; calls in between get
     * the failure at once.
     */
    private CompletableFuture<LlamaModel> model() {
        CompletableFuture<LlamaModel> current = model;
        if (current != null && (!current.isCompletedExceptionally() || !retryDue())) {
            return current;
        }
        synchronized (this) {
            if (model == current) {
                try {
                    if (current != null || file.isCompletedExceptionally() && retryDue()) {
                        file = CompletableFuture.supplyAsync(this::locate, executor);
                    }
                    // on a generation thread, after the file search (which may still be downloading)
                    model = file.thenApplyAsync(this::load, executor);
                } catch (RejectedExecutionException closed) {
                    return current != null ? current : CompletableFuture.failedFuture(closed);
                }
            }
            return model;
        }
    }

    private boolean retryDue() {
        return System.nanoTime() - failedAt >= config.loadRetry().toNanos();
    }

    /** The load under way or done, null before the first request: for tests. */
    CompletableFuture<LlamaModel> loading() {
        return model;
    }

    private Path locate() {
        try {
            return locator.locate();
        } catch (Exception e) {
            LOG.warnf(
                    "Deployment '%s': no model file (%s); it answers 503 until one is provided", name, e.getMessage());
            failedAt = System.nanoTime();
            throw unavailable();
        }
    }

    private LlamaModel load(Path file) {
        try {
            dataDirExists();
            ModelParameters parameters = new ModelParameters()
                    .setModel(file.toString())
                    .setCtxSize(config.contextPerSlot() * config.parallel())
                    .setParallel(config.parallel())
                    .setThreads(config.threads())
                    .setThreadsBatch(config.threads())
                    .disableLog();
            long start = System.nanoTime();
            LlamaModel loaded;
            synchronized (NATIVE) {
                loaded = new LlamaModel(parameters);
            }
            LOG.infof("Deployment '%s': loaded %s in %d ms", name, file, (System.nanoTime() - start) / 1_000_000);
            return loaded;
        } catch (RuntimeException e) {
            LOG.errorf("Deployment '%s': the model file %s could not be loaded: %s", name, file, e.getMessage());
            failedAt = System.nanoTime();
            throw new ApiException(
                    503,
                    "model_unavailable",
                    "The model of deployment '" + name + "' could not be loaded from " + file + ".");
        }
    }

    private void dataDirExists() {
        try {
            java.nio.file.Files.createDirectories(Path.of(System.getProperty("de.kherud.llama.tmpdir")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the native library folder", e);
        }
    }

    private ApiException unavailable() {
        List<String> places = locator.candidates().stream()
                .map(p -> p.toAbsolutePath().normalize().toString())
                .toList();
        return new ApiException(
                503,
                "model_unavailable",
                "The model file of deployment '" + name + "' (" + config.fileName()
                        + ") was not found and could not be downloaded. Put it at " + String.join(" or ", places)
                        + ", or set azinfer.deployments.\"" + name + "\".local.model-path.");
    }

    private Uni<LlamaModel> loaded() {
        return Uni.createFrom()
                // a copy: Mutiny cancels the future it waits on when its subscriber leaves, and a
                // client leaving while the model loads (or the wait below running out) must not
                // cancel the one load every request of the deployment shares
                .completionStage(model().copy())
                // a model still loading (or downloading) answers 503 rather than holding requests indefinitely
                .ifNoItem()
                .after(LOAD_WAIT)
                .failWith(() -> new ApiException(
                        503,
                        "model_loading",
                        "The model of deployment '" + name + "' is still loading. Retry shortly.",
                        null,
                        java.util.Map.of("Retry-After", "10")))
                .onFailure()
                .transform(f ->
                        f instanceof ApiException ? f : f.getCause() instanceof ApiException api ? api : unavailable());
    }

    @Override
    public Set<String> unsupportedParameters() {
        return Set.of("image_url", "input_audio", "audio_url");
    }

    @Override
    public boolean acceptsExtraParameters() {
        // llama.cpp takes only the sampling parameters this provider sets
        return false;
    }

    @Override
    public Uni<ChatCompletions> complete(ChatRequest request) {
        // a client that leaves (its request cancelled) stops the generation: the slot is free
        // for the next request at once, and a request still queued never starts
        return loaded().onItem().transformToUni(m -> Uni.createFrom().emitter(answer -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            answer.onTermination(() -> cancelled.set(true));
            try {
                executor.execute(() -> {
                    if (cancelled.get()) {
                        return;
                    }
                    try {
                        answer.complete(LocalGeneration.plan(m, request, config).complete(cancelled));
                    } catch (RuntimeException e) {
                        answer.fail(e);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                answer.fail(stopping);
            }
        }));
    }

    @Override
    public Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request) {
        return loaded().onItem().transformToUni(m -> Uni.createFrom()
                .item(() -> LocalGeneration.plan(m, request, config))
                .runSubscriptionOn(executor)
                .map(plan -> plan.stream(executor)));
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> ready() {
        // a migration moves traffic only to a model that loaded: it loads now, not at the first request
        return model().thenApply(m -> null);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<LlamaModel> loaded = model;
        if (loaded == null) {
            return;
        }
        loaded.thenAccept(m -> {
            synchronized (NATIVE) {
                m.close();
            }
        });
    }
}
