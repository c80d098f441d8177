package dev.azinfer.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The in-place migrations under way: for each deployment whose model changes, the new provider
 * being readied while the old one keeps serving. Nothing here waits for a model: readiness is
 * reported to the registry ({@code onSettled}, on the {@code settle} executor), which then moves
 * traffic in its next reload, so changes to other deployments go through meanwhile. Not
 * thread-safe: the registry calls it under its lock.
 */
final class ProviderSwitch {

    /** Called when a pending provider became ready or failed; the registry reloads or records it. */
    interface Settled {
        void settled(String key, Pending pending, String failure);
    }

    /** A new provider being readied; {@code outcome} completes with null once traffic moved to it, or why not. */
    static final class Pending {
        final String binding;
        final ProviderHandle handle;
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        boolean ready;

        private Pending(String binding, ProviderHandle handle) {
            this.binding = binding;
            this.handle = handle;
        }
    }

    /** A switch that failed and is not yet recorded: its binding is not made again meanwhile. */
    private record Failure(String binding, String why) {}

    private final Duration timeout;
    private final Executor settle;
    private final Settled onSettled;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Failure> failed = new HashMap<>();
    /** Ready providers handed to the snapshot being made; they leave {@code pending} once it is published. */
    private final Map<String, Pending> moving = new LinkedHashMap<>();

    ProviderSwitch(Duration timeout, Executor settle, Settled onSettled) {
        this.timeout = timeout;
        this.settle = settle;
        this.onSettled = onSettled;
    }

    /** A reload begins: what an earlier one that failed half-way handed out is still pending. */
    void begin() {
        moving.clear();
    }

    /**
     * The provider for {@code binding} once it is ready to take the deployment's traffic, else null:
     * it is then being readied (made now if it was not), and {@code outcome} tells when it is. A
     * binding that failed is not made again while its migration is {@code updating} (its failure
     * is about to be recorded); once another replica has recorded it a success, it is tried again.
     */
    ProviderHandle readyOrPrepare(
            String key,
            String binding,
            boolean updating,
            Supplier<ProviderHandle> make,
            Map<String, CompletionStage<String>> outcome) {
        Pending p = pending.get(key);
        if (p != null && !p.binding.equals(binding)) {
            cancel(key, "the deployment changed again before its new model was ready");
            p = null;
        }
        if (p == null) {
            Failure failure = failed.get(key);
            if (updating && failure != null && failure.binding.equals(binding)) {
                outcome.put(key, CompletableFuture.completedFuture(failure.why));
                return null;
            }
            failed.remove(key);
            Pending started = new Pending(binding, make.get());
            pending.put(key, started);
            readiness(started.handle).thenAcceptAsync(why -> onSettled.settled(key, started, why), settle);
            p = started;
        }
        outcome.put(key, p.outcome);
        if (p.ready) {
            moving.put(key, p);
            return p.handle;
        }
        return null;
    }

    /** The snapshot with the ready providers is published: their switches are done. */
    void published() {
        moving.forEach((key, p) -> {
            pending.remove(key, p);
            p.outcome.complete(null);
        });
        moving.clear();
    }

    /** How the provider's readiness ends: null when it is ready, else why it failed; never later than the timeout. */
    CompletionStage<String> readiness(ProviderHandle handle) {
        return handle.deployment
                .provider()
                .ready()
                .toCompletableFuture()
                .copy()
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((ok, error) -> {
                    if (error == null) {
                        return null;
                    }
                    handle.failedToLoad = true;
                    return reason(error);
                });
    }

    /** Whether a provider is ready and waits for the reload that moves traffic to it. */
    boolean hasReady() {
        return pending.values().stream().anyMatch(p -> p.ready);
    }

    /** Whether {@code p} is still the switch under way for {@code key} (not cancelled or replaced). */
    boolean isCurrent(String key, Pending p) {
        return pending.get(key) == p;
    }

    /** The new provider failed: it is closed, the old one keeps serving, and it is not made again until the deployment changes. */
    void fail(String key, Pending p, String why) {
        pending.remove(key, p);
        failed.put(key, new Failure(p.binding, why));
        p.handle.retire();
        p.outcome.complete(why);
    }

    /** Forgets the switches of deployments no longer being migrated (changed, reverted or deleted). */
    void keepOnly(Set<String> migrating) {
        for (String key : Set.copyOf(pending.keySet())) {
            if (!migrating.contains(key)) {
                cancel(key, "the deployment changed before its new model was ready");
            }
        }
        failed.keySet().retainAll(migrating);
    }

    /**
     * At shutdown: closes the providers still being readied. Their switches stay unrecorded (the
     * store keeps them {@code Updating}), and the next start finishes them.
     */
    void closeAll() {
        pending.values().forEach(p -> p.handle.closeAtShutdown());
        pending.clear();
        moving.clear();
    }

    private void cancel(String key, String why) {
        Pending p = pending.remove(key);
        p.handle.retire();
        p.outcome.complete(why);
    }

    private static String reason(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return "the new model was not ready in time";
        }
        return "the new model did not load: " + cause.getMessage();
    }

    /** Retires every provider of {@code previous} that {@code next} no longer uses. */
    void retireReplaced(Map<String, DeploymentRegistry.Live> previous, Map<String, DeploymentRegistry.Live> next) {
        for (Map.Entry<String, DeploymentRegistry.Live> e : previous.entrySet()) {
            ProviderHandle old = e.getValue().handle();
            DeploymentRegistry.Live now = next.get(e.getKey());
            if (old != null && (now == null || now.handle() != old)) {
                old.retire();
            }
        }
    }
}
