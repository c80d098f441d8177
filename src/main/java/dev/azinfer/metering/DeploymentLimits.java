package dev.azinfer.metering;

import dev.azinfer.api.ApiException;
import dev.azinfer.api.CallerContext;
import dev.azinfer.api.RetryAfter;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Each deployment held to its capacity as Azure holds it: {@code capacity} requests per 10 seconds
 * and {@code capacity × 1,000} tokens per 60 seconds. Tokens are estimated before the call and
 * corrected with the real usage after it. Windows follow the service clock.
 */
@ApplicationScoped
public class DeploymentLimits {

    static final long REQUEST_WINDOW_MS = 10_000;
    static final long TOKEN_WINDOW_MS = 60_000;
    private static final Logger LOG = Logger.getLogger(DeploymentLimits.class);

    /** An admitted request: its windows and what remained of the limits after it. */
    public record Admission(
            LimitCounters.Windows windows, long estimate, long remainingRequests, long remainingTokens) {

        public Map<String, String> headers() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
            h.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
            return h;
        }
    }

    /** A deployment's current windows and its limits in them (from its capacity). */
    private record Limits(LimitCounters.Windows windows, long requests, long tokens) {

        static Limits of(DeploymentSpec d, long now) {
            return new Limits(
                    new LimitCounters.Windows(d.key(), now / REQUEST_WINDOW_MS, now / TOKEN_WINDOW_MS),
                    d.capacity(),
                    d.capacity() * 1000L);
        }

        /** What these counts leave of the limits, for a request estimated at {@code estimate}. */
        Admission after(LimitCounters.Counts c, long estimate) {
            return new Admission(
                    windows, estimate, Math.max(0, requests - c.requests()), Math.max(0, tokens - c.tokens()));
        }
    }

    private final LimitCounters counters;
    private final Clock clock;

    public DeploymentLimits(ServiceConfig config, Vertx vertx, Clock clock) {
        this.clock = clock;
        this.counters = config.limits()
                .redisUrl()
                .<LimitCounters>map(url -> new RedisLimitCounters(vertx, url))
                .orElseGet(LocalLimitCounters::new);
        LOG.infof(
                "Deployment limits: counted %s",
                config.limits().redisUrl().isPresent()
                        ? "in Redis, shared by the replicas"
                        : "in memory (one replica)");
    }

    /** Counts the request and its estimated tokens, or fails with 429 saying which limit and when to retry. */
    public Uni<Admission> admit(DeploymentSpec d, long estimatedTokens) {
        long now = clock.millis();
        Limits l = Limits.of(d, now);
        // a request larger than a whole window still goes through when the window is empty
        long estimate = Math.min(estimatedTokens, l.tokens());
        Uni<Admission> admission = counters.admit(l.windows(), l.requests(), l.tokens(), estimate)
                .onFailure()
                .recoverWithItem(f -> {
                    // availability over strictness: a limiter that cannot count does not stop inference
                    LOG.warnf("Deployment limits: the counters failed (%s); admitting", f.getMessage());
                    return new LimitCounters.Counts(true, 0, 0);
                })
                .map(c -> {
                    if (!c.admitted()) {
                        throw refused(d, c, l, estimate, now);
                    }
                    return l.after(c, estimate);
                });
        if (!counters.remote()) {
            return admission; // counted at once, on the caller's thread: a client cannot leave half-way
        }
        // counted to the end even when the client leaves meanwhile (Redis counts what it was sent):
        // the estimate of a request that will not run is then given back
        CompletableFuture<Admission> counting = admission.subscribeAsCompletionStage();
        return CallerContext.item(counting)
                .onCancellation()
                .invoke(() -> counting.thenAccept(a -> correct(a, 0).subscribe().with(done -> {}, failed -> {})));
    }

    /**
     * What remains of the deployment's limits now, as headers, counting nothing: for a request
     * refused before admission (a parameter the model does not take, the spending limit). Empty
     * when the counters cannot say in time.
     */
    public Uni<Map<String, String>> remaining(DeploymentSpec d) {
        Limits l = Limits.of(d, clock.millis());
        return counters.peek(l.windows())
                .map(c -> l.after(c, 0).headers())
                .onFailure()
                .recoverWithItem(Map.of());
    }

    /** A deployment removed: its counts go (those in Redis expire with their windows). */
    void forget(DeploymentSpec d) {
        counters.forget(d.key());
    }

    /** Replaces the estimate by the real usage in the window the request was admitted in. */
    public Uni<Void> correct(Admission a, long actualTokens) {
        long delta = actualTokens - a.estimate();
        if (delta == 0) {
            return Uni.createFrom().voidItem();
        }
        return counters.adjustTokens(a.windows(), delta)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private static ApiException refused(DeploymentSpec d, LimitCounters.Counts c, Limits l, long estimate, long now) {
        boolean requests = c.requests() + 1 > l.requests();
        long windowMs = requests ? REQUEST_WINDOW_MS : TOKEN_WINDOW_MS;
        long waitMs = windowMs - now % windowMs;
        String message = requests
                ? "Requests to the deployment '" + d.name() + "' have exceeded its limit of " + l.requests()
                        + " requests per 10 seconds (capacity " + d.capacity() + ")."
                : "Requests to the deployment '" + d.name() + "' have exceeded its limit of " + l.tokens()
                        + " tokens per 60 seconds (capacity " + d.capacity() + "); this request was estimated at "
                        + estimate + " tokens (prompt plus max_tokens).";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.putAll(RetryAfter.headers(waitMs));
        headers.putAll(l.after(c, estimate).headers());
        return new ApiException(
                429,
                requests ? "requests_rate_limit_exceeded" : "tokens_rate_limit_exceeded",
                message + " Retry after " + RetryAfter.seconds(waitMs) + " seconds.",
                null,
                headers);
    }

    @PreDestroy
    void close() throws Exception {
        if (counters instanceof AutoCloseable c) {
            c.close();
        }
    }
}
