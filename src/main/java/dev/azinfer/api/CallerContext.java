package dev.azinfer.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;

/** Waiting for work done on another thread without leaving the request's own event loop. */
public final class CallerContext {

    private CallerContext() {}

    /**
     * Completes when the future does: at once, on the caller's thread, if it is already done;
     * otherwise back on the caller's Vert.x context, not on the thread that completed it. A caller
     * that goes away (its client left) leaves the future as it is: Mutiny cancels the future it
     * waits on, and the future may be one that other requests share (a token encoding loading).
     */
    public static Uni<Void> await(CompletableFuture<?> future) {
        return item(future).replaceWithVoid();
    }

    /** The same, with the future's item. */
    public static <T> Uni<T> item(CompletableFuture<T> future) {
        if (future.isDone()) {
            return Uni.createFrom().completionStage(future);
        }
        Uni<T> done = Uni.createFrom().completionStage(future.copy());
        Context context = Vertx.currentContext();
        return context == null ? done : done.emitOn(task -> context.runOnContext(v -> task.run()));
    }
}
