package dev.azinfer.provider;

import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * One upstream kind. Providers only translate and transport: defaults, validation, identity,
 * usage fallback and the SSE framing are done once, outside, by {@code ChatService}. Failures are
 * {@code ApiException}s (see {@link UpstreamErrors}).
 */
public interface ChatProvider extends AutoCloseable {

    Uni<ChatCompletions> complete(ChatRequest request);

    /**
     * The Uni settles once the upstream has accepted the request (so that a refusal still becomes
     * an HTTP error status); the Multi then relays the updates as they arrive. Cancelling the Multi
     * cancels the upstream work.
     */
    Uni<Multi<StreamingChatCompletionsUpdate>> stream(ChatRequest request);

    /** Request parameters this kind of upstream can never honour (names as in {@code RequestParameters}). */
    default Set<String> unsupportedParameters() {
        return Set.of();
    }

    /** False when extra fields ({@code extra-parameters: pass-through}) cannot reach the model; such requests are 422. */
    default boolean acceptsExtraParameters() {
        return true;
    }

    /**
     * Completes when the provider can answer at once (an in-process model has loaded), exceptionally
     * when it never will. An in-place migration switches traffic to a new provider only then.
     */
    default java.util.concurrent.CompletionStage<Void> ready() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    default void close() {}
}
