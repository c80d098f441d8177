package dev.azinfer.routing;

import java.util.concurrent.atomic.AtomicBoolean;

/** The deployment serving one request, held until the request ends (answer sent, stream ended or abandoned). */
public final class Lease implements AutoCloseable {

    private final ProviderHandle handle;
    private final String requested;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(ProviderHandle handle, String requested) {
        this.handle = handle;
        this.requested = requested;
    }

    public Deployment deployment() {
        return handle.deployment;
    }

    /** The deployment the request named (its traffic may be routed to another). */
    public String requested() {
        return requested;
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            handle.release();
        }
    }
}
