package dev.azinfer.routing;

import dev.azinfer.config.ProviderConfig;
import dev.azinfer.deployments.DeploymentSpec;
import java.util.concurrent.atomic.AtomicBoolean;

/** The deployment serving one request, held until the request ends (answer sent, stream ended or abandoned). */
public final class Lease implements AutoCloseable {

    private final ProviderHandle handle;
    private final DeploymentSpec served;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(ProviderHandle handle, DeploymentSpec served) {
        this.handle = handle;
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

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            handle.release();
        }
    }
}
