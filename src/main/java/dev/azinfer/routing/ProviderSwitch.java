package dev.azinfer.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The in-place migration step of a reload: new providers must be ready before traffic moves to
 * them (else the old one keeps serving), and providers that were replaced or removed are retired.
 */
final class ProviderSwitch {

    private final Duration timeout;

    ProviderSwitch(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Waits for each new provider that replaces one; one that fails or times out is closed and the
     * one it was to replace is kept in {@code next}. Returns the failures by key.
     */
    Map<String, String> awaitReady(
            Map<String, ProviderHandle> fresh,
            Map<String, DeploymentRegistry.Live> previous,
            Map<String, DeploymentRegistry.Live> next) {
        Map<String, String> failed = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, ProviderHandle> e : fresh.entrySet()) {
            DeploymentRegistry.Live before = previous.get(e.getKey());
            if (before == null || before.handle() == null) {
                // nothing to keep serving meanwhile: a new deployment answers as soon as it can
                continue;
            }
            String failure = await(e.getValue(), deadline);
            if (failure == null) {
                continue;
            }
            failed.put(e.getKey(), failure);
            e.getValue().retire();
            next.put(
                    e.getKey(), new DeploymentRegistry.Live(next.get(e.getKey()).spec(), before.handle(), null));
        }
        return failed;
    }

    private static String await(ProviderHandle handle, long deadline) {
        try {
            handle.deployment
                    .provider()
                    .ready()
                    .toCompletableFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return "the new model did not load: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "the new model was not ready in time";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while the new model loaded";
        }
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
