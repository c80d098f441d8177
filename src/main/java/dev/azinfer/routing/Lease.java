package dev.azinfer.routing;

import dev.azinfer.config.ProviderConfig;
import dev.azinfer.deployments.DeploymentSpec;
import java.util.concurrent.atomic.AtomicBoolean;

/** The deployment serving one request, held until the request ends (answer sent, stream ended or abandoned). */
public final class Lease implements AutoCloseable {

    private final ProviderHandle handle;
    private final String requested;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private final DeploymentSpec served;

    Lease(ProviderHandle handle, String requested, DeploymentSpec served) {
        this.handle = handle;
        this.requested = requested;
        this.served = served;
    }

    /** The deployment serving the request as stored (capacity, model and version), as of the request's start. */
    public DeploymentSpec served() {
        return served;
    }

    /** The provider settings of the serving deployment (its prices among them). */
    public ProviderConfig settings() {
        return handle.settings;
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
