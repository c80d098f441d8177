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
     * otherwise back on the caller's Vert.x context, not on the thread that completed it.
     */
    public static Uni<Void> await(CompletableFuture<?> future) {
        Uni<Void> done = Uni.createFrom().completionStage(future).replaceWithVoid();
        Context context = Vertx.currentContext();
        if (future.isDone() || context == null) {
            return done;
        }
        return done.emitOn(task -> context.runOnContext(v -> task.run()));
    }
}
