package dev.azinfer.metering;

import dev.azinfer.api.CallerContext;
import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.routing.Lease;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** One admitted request: its rate-limit headers now, and one settlement when it ends, however it ends. */
public final class Metered {

    private final Metering metering;
    private final Lease lease;
    private final String keyId;
    private final DeploymentLimits.Admission admission;
    private final int promptTokens;
    private final long started;
    private final AtomicBoolean settled = new AtomicBoolean();

    Metered(
            Metering metering,
            Lease lease,
            String keyId,
            DeploymentLimits.Admission admission,
            int promptTokens,
            long started) {
        this.promptTokens = promptTokens;
        this.metering = metering;
        this.lease = lease;
        this.keyId = keyId;
        this.admission = admission;
        this.started = started;
    }

    /**
     * The prompt's tokens as counted for the estimate, with the model's tokenizer: also the usage
     * reported when the upstream reports none, so the prompt is counted once per request.
     */
    public int promptTokens() {
        return promptTokens;
    }

    /** {@code x-ratelimit-remaining-requests} and {@code x-ratelimit-remaining-tokens}. */
    public Map<String, String> headers() {
        return admission.headers();
    }

    /**
     * Records how the request ended; only the first call counts (a stream can end by completing and
     * by being cancelled). Completes once the ledger has it. The record is written whatever the
     * caller does meanwhile: a client that leaves while it is written (the limits' Redis round trip
     * comes first) cancels the wait, not the write, since no later call will write it.
     */
    public Uni<Void> settle(String requestId, CompletionsUsage usage, int status, String outcome) {
        if (!settled.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return CallerContext.await(
                metering.settle(this, requestId, usage, status, outcome).subscribeAsCompletionStage());
    }

    Lease lease() {
        return lease;
    }

    String keyId() {
        return keyId;
    }

    DeploymentLimits.Admission admission() {
        return admission;
    }

    long started() {
        return started;
    }
}
