package dev.azinfer.tokens;

import dev.azinfer.api.CallerContext;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.ChatRequestMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Counts tokens with OpenAI's BPE tokenizers, for upstreams that report no usage. For other model
 * families this is a close estimate, not their exact count.
 */
/* made at start, so that the encodings load in the background from the beginning */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class TokenCounter {

    private final Encoding cl100k = new Encoding(BpeEncoding::cl100k);
    private final Encoding o200k = new Encoding(BpeEncoding::o200k);
    private final java.util.Map<String, Boolean> newerEncoding = new java.util.concurrent.ConcurrentHashMap<>();

    public TokenCounter() {
        // the encodings take a few hundred milliseconds of CPU to load: in the background, a little
        // after start-up so as not to slow it on two cores, and before most requests could need them
        this(Duration.ofSeconds(3));
    }

    /** Loads the encodings {@code after} start, or sooner for a request that needs one. */
    TokenCounter(Duration after) {
        Executor later = CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS);
        later.execute(cl100k::startLoading);
        later.execute(o200k::startLoading);
    }

    /** One encoding, loaded once: at the scheduled time, or at once by the first request that needs it. */
    private static final class Encoding {

        private final Supplier<BpeEncoding> loader;
        private final CompletableFuture<BpeEncoding> loaded = new CompletableFuture<>();
        private final AtomicBoolean started = new AtomicBoolean();

        Encoding(Supplier<BpeEncoding> loader) {
            this.loader = loader;
        }

        CompletableFuture<BpeEncoding> get() {
            if (!loaded.isDone()) {
                startLoading();
            }
            return loaded;
        }

        void startLoading() {
            if (started.compareAndSet(false, true)) {
                // never on the caller's thread: a request's event loop must not load it
                loaded.completeAsync(loader);
            }
        }
    }

    /**
     * Completes once the model's encoding is loaded: at once, except in the first seconds after
     * start, when a request starts the load if it has not started yet and waits for it without
     * holding its event loop.
     */
    public Uni<Void> ready(String model) {
        return CallerContext.await(future(model));
    }

    public int countText(String model, String text) {
        return text == null || text.isEmpty() ? 0 : encoding(model).count(text);
    }

    /** OpenAI's documented count for chat input: 3 tokens per message and 3 to prime the reply. */
    public int countPrompt(String model, ChatCompletionsOptions options) {
        BpeEncoding enc = encoding(model);
        int tokens = 3;
        List<ChatRequestMessage> messages = options.messages();
        for (ChatRequestMessage m : messages) {
            tokens += 3 + enc.count(m.role());
            if (m.content() != null && m.content().isTextual()) {
                tokens += enc.count(m.content().asText());
            } else if (m.content() != null) {
                for (var part : m.content()) {
                    tokens += part.path("type").asText().equals("text")
                            ? enc.count(part.path("text").asText())
                            : 85;
                }
            }
            if (m.toolCalls() != null) {
                for (var call : m.toolCalls()) {
                    tokens += enc.count(call.function().name())
                            + enc.count(call.function().arguments());
                }
            }
        }
        if (options.tools() != null) {
            tokens += enc.count(options.tools().toString());
        }
        return tokens;
    }

    private BpeEncoding encoding(String model) {
        return future(model).join();
    }

    private CompletableFuture<BpeEncoding> future(String model) {
        // a model name's encoding is looked up once: the pattern cost a little on every request
        return (newerEncoding.computeIfAbsent(model == null ? "" : model, TokenCounter::usesO200k) ? o200k : cl100k)
                .get();
    }

    private static boolean usesO200k(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("gpt-4o") || m.contains("gpt-4.1") || m.contains("gpt-5") || m.matches(".*\\bo[134].*");
    }
}
