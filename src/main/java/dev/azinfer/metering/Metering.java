package dev.azinfer.metering;

import dev.azinfer.api.ApiException;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ServiceConfig;
import dev.azinfer.deployments.DeploymentRemoved;
import dev.azinfer.routing.DeploymentRegistry;
import dev.azinfer.routing.Lease;
import dev.azinfer.tokens.TokenCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything counted of an inference request, in one place: the spending limit and the
 * deployment's limits before the call, then the real usage, its cost, the ledger record, the
 * spend and the metrics after it ({@link Metered#settle}).
 */
@ApplicationScoped
public class Metering {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final ServiceConfig config;
    private final DeploymentLimits limits;
    private final UsageLedger ledger;
    private final SpendingLimit spending;
    private final TokenCounter tokens;
    private final MeterRegistry metrics;
    private final DeploymentRegistry deployments;
    private final Clock clock;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    public Metering(
            ServiceConfig config,
            DeploymentLimits limits,
            UsageLedger ledger,
            SpendingLimit spending,
            TokenCounter tokens,
            MeterRegistry metrics,
            DeploymentRegistry deployments,
            Clock clock) {
        this.config = config;
        this.limits = limits;
        this.ledger = ledger;
        this.spending = spending;
        this.tokens = tokens;
        this.metrics = metrics;
        this.deployments = deployments;
        this.clock = clock;
    }

    /**
     * Admits a request to the deployment serving it: 429 when the spending limit is reached or the
     * deployment's request or token limit would be passed. The estimate is the prompt counted with
     * a real tokenizer plus {@code max_tokens} (or {@code azinfer.limits.default-completion-tokens}).
     */
    public Uni<Metered> admit(Lease lease, String keyId, ChatCompletionsOptions options) {
        long started = System.nanoTime();
        spending.check();
        String model = lease.deployment().info().modelName();
        return tokens.ready(model)
                .flatMap(ready -> {
                    int prompt = tokens.countPrompt(model, options);
                    long estimate = (long) prompt
                            + (options.maxTokens() != null
                                    ? options.maxTokens()
                                    : config.limits().defaultCompletionTokens());
                    return limits.admit(lease.served(), estimate)
                            .map(admission -> new Metered(this, lease, keyId, admission, prompt, started));
                })
                .onFailure()
                .invoke(f -> refused(lease, f));
    }

    /** What remains of the limits of the deployment serving a request refused before admission, as headers. */
    public Uni<Map<String, String>> remaining(Lease lease) {
        return limits.remaining(lease.served());
    }

    /** Counts a request refused before it was admitted (it has no settlement), under its own status. */
    public void refused(Lease lease, Throwable refusal) {
        count(lease.served().name(), refusal instanceof ApiException e ? e.status() : 500);
    }

    Uni<Void> settle(Metered m, String requestId, CompletionsUsage usage, int status, String outcome) {
        long prompt = usage == null ? 0 : usage.promptTokens();
        long completion = usage == null ? 0 : usage.completionTokens();
        BigDecimal cost = cost(m.lease().settings(), prompt, completion);
        String deployment = m.lease().served().name();
        count(deployment, status);
        Meters meters = meters(deployment);
        if (meters != null) {
            meters.duration().record(System.nanoTime() - m.started(), TimeUnit.NANOSECONDS);
            meters.promptTokens().increment(prompt);
            meters.completionTokens().increment(completion);
            meters.cost().increment(cost.doubleValue());
        }
        UsageRecord record = new UsageRecord(
                requestId,
                clock.instant(),
                m.keyId() == null ? "unknown" : m.keyId(),
                deployment,
                m.lease().served().model().name(),
                m.lease().served().model().version(),
                prompt,
                completion,
                cost,
                status,
                outcome);
        // added once recorded: a refresh summing the ledger meanwhile keeps it counted (SpendingLimit.refresh)
        return limits.correct(m.admission(), prompt + completion)
                .chain(() -> ledger.record(record))
                .eventually(() -> spending.add(cost));
    }

    /** The meters of one deployment, registered once (registering on every request cost throughput). */
    private record Meters(Timer duration, Counter promptTokens, Counter completionTokens, Counter cost) {
        List<Meter> all() {
            return List.of(duration, promptTokens, completionTokens, cost);
        }
    }

    /**
     * A deployment removed: its meters go, so that neither this map nor the metrics grow with
     * every deployment ever made. Requests still ending on it are not counted in them any more.
     */
    void forget(@Observes DeploymentRemoved removal) {
        String deployment = removal.spec().name();
        List<Meter> gone = new ArrayList<>();
        Meters m = meters.remove(deployment);
        if (m != null) {
            gone.addAll(m.all());
        }
        String prefix = statusKey(deployment, "");
        for (Map<String, Counter> byStatus : List.of(requests, errors)) {
            byStatus.entrySet().removeIf(e -> e.getKey().startsWith(prefix) && gone.add(e.getValue()));
        }
        gone.forEach(metrics::remove);
        limits.forget(removal.spec());
    }

    /**
     * The meters of a deployment; none for one no longer served (a request that ended after its
     * deletion), whose meters would otherwise be registered again, for good.
     */
    private Meters meters(String deployment) {
        Meters registered = meters.get(deployment);
        if (registered != null || !deployments.serves(deployment)) {
            return registered;
        }
        return meters.computeIfAbsent(
                deployment,
                d -> new Meters(
                        Timer.builder("azinfer.request.duration")
                                .description("Time from admission to the end of the answer (streams included)")
                                .tag("deployment", d)
                                .register(metrics),
                        counter("azinfer.tokens", "Tokens metered", d, "type", "prompt"),
                        counter("azinfer.tokens", "Tokens metered", d, "type", "completion"),
                        counter(
                                "azinfer.cost",
                                "Cost metered, in the billing currency",
                                d,
                                "currency",
                                config.billing().currency())));
    }

    /** Counts a request by deployment and status, and a failed one as an error too; meters are looked up once. */
    private void count(String deployment, int status) {
        String statusText = Integer.toString(status);
        String key = statusKey(deployment, statusText);
        if (!requests.containsKey(key) && !deployments.serves(deployment)) {
            return; // ended after its deployment was deleted: see meters()
        }
        requests.computeIfAbsent(
                        key,
                        k -> counter(
                                "azinfer.requests",
                                "Inference requests by deployment and status code",
                                deployment,
                                "status",
                                statusText))
                .increment();
        if (status >= 400 && status != UsageRecord.CLIENT_CLOSED) {
            errors.computeIfAbsent(
                            key,
                            k -> counter(
                                    "azinfer.errors", "Failed inference requests", deployment, "status", statusText))
                    .increment();
        }
    }

    /** Where a deployment's counter for a status is kept; with an empty status, the prefix of all of them. */
    private static String statusKey(String deployment, String status) {
        return deployment + "\u0000" + status;
    }

    private Counter counter(String name, String description, String deployment, String tag, String value) {
        return Counter.builder(name)
                .description(description)
                .tag("deployment", deployment)
                .tag(tag, value)
                .register(metrics);
    }

    static BigDecimal cost(ProviderConfig settings, long prompt, long completion) {
        BigDecimal in = settings.price().inputPer1k().orElse(BigDecimal.ZERO);
        BigDecimal out = settings.price().outputPer1k().orElse(BigDecimal.ZERO);
        return in.multiply(BigDecimal.valueOf(prompt))
                .add(out.multiply(BigDecimal.valueOf(completion)))
                .divide(THOUSAND, 10, RoundingMode.HALF_UP);
    }
}
