package dev.azinfer.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Waiting on work that other requests share. */
class CallerContextTest {

    @Test
    void a_caller_that_goes_away_leaves_the_shared_work_to_the_others() {
        CompletableFuture<String> shared = new CompletableFuture<>();
        // the first caller's client leaves while the work is under way
        Cancellable left = CallerContext.await(shared).subscribe().with(v -> {}, f -> {});
        left.cancel();
        assertFalse(shared.isCancelled(), "one caller leaving does not cancel what the others wait for");

        CompletableFuture<Void> next = CallerContext.await(shared).subscribeAsCompletionStage();
        shared.complete("loaded");
        next.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        assertTrue(next.isDone() && !next.isCompletedExceptionally());
        // and once done, callers get it at once
        CallerContext.await(shared).await().atMost(Duration.ofSeconds(1));
    }
}
