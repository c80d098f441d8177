package dev.azinfer.routing;

import dev.azinfer.config.ProviderConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A deployment's provider with the count of requests using it. A provider replaced by a migration
 * is retired, and closed only once its last request has finished, so no request loses its
 * upstream (or its in-process model) half-way.
 */
final class ProviderHandle {

    private static final Logger LOG = Logger.getLogger(ProviderHandle.class);

    final String binding;
    final Deployment deployment;
    /** The settings the provider was made from (prices among them). */
    final ProviderConfig settings;

    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;
    /** Its model did not load: nothing is kept serving on it while a replacement is readied. */
    volatile boolean failedToLoad;

    ProviderHandle(String binding, Deployment deployment, ProviderConfig settings) {
        this.binding = binding;
        this.deployment = deployment;
        this.settings = settings;
    }

    /** False once closed: the caller looks the deployment up again and finds its replacement. */
    boolean tryAcquire() {
        for (; ; ) {
            int n = users.get();
            if (n < 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (users.decrementAndGet() == 0 && retired) {
            closeIfIdle();
        }
    }

    void retire() {
        retired = true;
        closeIfIdle();
    }

    /** At shutdown: closes now, on the calling thread, if no request holds the provider. */
    void closeAtShutdown() {
        retired = true;
        if (users.compareAndSet(0, -1)) {
            deployment.provider().close();
        }
    }

    private void closeIfIdle() {
        if (users.compareAndSet(0, -1)) {
            // the last release may come on the event loop (a request ending), and closing blocks
            CompletableFuture.runAsync(() -> {
                try {
                    deployment.provider().close();
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "Deployment '%s': closing its replaced provider failed: %s",
                            deployment.name(), e.getMessage());
                }
            });
        }
    }
}
