package dev.azinfer.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.AzureErrors;
import dev.azinfer.api.ParsedChatRequest;
import dev.azinfer.api.RequestIds;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.metering.Metered;
import dev.azinfer.metering.Metering;
import dev.azinfer.metering.UsageRecord;
import dev.azinfer.provider.ChatRequest;
import dev.azinfer.provider.RequestParameters;
import dev.azinfer.routing.Deployment;
import dev.azinfer.routing.DeploymentRegistry;
import dev.azinfer.routing.Lease;
import dev.azinfer.tokens.TokenCounter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The work every chat completion shares, whatever the provider: choosing the deployment, refusing
 * parameters it cannot take, filling defaults, giving the answer its identity and usage, and
 * framing streams as data-only server-sent events.
 */
@ApplicationScoped
public class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    /** An answer: status and headers known before the first byte of the body is sent. */
    public record Reply(int status, Map<String, List<String>> headers, Multi<Buffer> body) {}

    private final DeploymentRegistry registry;
    private final TokenCounter tokens;
    private final ObjectMapper mapper;
    private final AzureErrors errors;
    private final Clock clock;

    private final Metering metering;

    public ChatService(
            DeploymentRegistry registry,
            TokenCounter tokens,
            ObjectMapper mapper,
            AzureErrors errors,
            Clock clock,
            Metering metering) {
        this.metering = metering;
        this.registry = registry;
        this.tokens = tokens;
        this.mapper = mapper;
        this.errors = errors;
        this.clock = clock;
    }

    /** Checks everything that can be checked before calling the model; throws {@link ApiException}. */
    public Uni<Reply> chat(ParsedChatRequest parsed, String headerDeployment, String keyId) {
        ChatCompletionsOptions options = parsed.options();
        // held until the answer is sent or the stream ends, so a migration never closes the provider under it;
        // an empty model names none, as documented: the header's deployment, else the default
        Lease lease = registry.acquire(
                options.model() != null && !options.model().isBlank() ? options.model() : headerDeployment);
        Deployment deployment = lease.deployment();
        ChatRequest request;
        Uni<Metered> admitted;
        try {
            refuseUnsupported(deployment, parsed);
            // a default is not sent for a parameter the model refuses (o-series models refuse temperature)
            request = new ChatRequest(
                    options.withDefaults(deployment.unsupportedParameters()), parsed.extras(), parsed.mode());
            admitted = metering.admit(lease, keyId, options);
        } catch (RuntimeException refused) {
            // a parameter the model does not take (422), the spending limit (429): in the metrics too,
            // and with what remains of the deployment's limits, as every answer of a deployment
            metering.refused(lease, refused);
            lease.close();
            return metering.remaining(lease).map(limitHeaders -> error(refused, limitHeaders));
        }
        String id = "chatcmpl-" + RequestIds.hex32();
        long created = clock.instant().getEpochSecond();
        return admitted.onFailure()
                .invoke(lease::close)
                // the client left while the request was being admitted (a token encoding loading, a Redis round trip)
                .onCancellation()
                .invoke(lease::close)
                .flatMap(m -> (options.streaming()
                                ? stream(lease, m, request, id, created)
                                : complete(lease, m, request, id, created))
                        .onFailure()
                        .recoverWithItem(f -> error(f, m.headers())))
                .onFailure()
                .recoverWithItem(f -> error(f, Map.of()));
    }

    private static void refuseUnsupported(Deployment deployment, ParsedChatRequest parsed) {
        for (String used : RequestParameters.used(parsed.options(), parsed.extras())) {
            if (deployment.unsupportedParameters().contains(used)) {
                throw ApiException.notSupported(used, deployment.name());
            }
        }
        if (!parsed.extras().isEmpty() && !deployment.provider().acceptsExtraParameters()) {
            throw ApiException.notSupported(parsed.extras().fieldNames().next(), deployment.name());
        }
    }

    private Uni<Reply> complete(Lease lease, Metered m, ChatRequest request, String id, long created) {
        Deployment d = lease.deployment();
        return d.provider()
                .complete(request)
                .map(c -> {
                    ChatCompletions answer = c.withIdentity(
                            c.id() != null ? c.id() : id, c.created() > 0 ? c.created() : created, model(d, c.model()));
                    return answer.usage() != null ? answer : answer.withUsage(count(d, m, text(answer)));
                })
                // the ledger has the request before the client has the answer
                .call(answer -> m.settle(id, answer.usage(), 200, UsageRecord.COMPLETED))
                .map(answer -> new Reply(
                        200,
                        headers(m, "Content-Type", "application/json"),
                        Multi.createFrom().item(json(answer))))
                .onFailure()
                .call(f -> m.settle(id, null, asApiException(f).status(), UsageRecord.FAILED))
                // the client left before the answer: 499, its prompt counted, nothing generated for it
                .onCancellation()
                .call(() -> m.settle(id, count(d, m, ""), UsageRecord.CLIENT_CLOSED, UsageRecord.ABANDONED))
                .onTermination()
                .invoke(lease::close);
    }

    private Uni<Reply> stream(Lease lease, Metered m, ChatRequest request, String id, long created) {
        Deployment d = lease.deployment();
        return d.provider().stream(request)
                .onFailure()
                .call(f -> m.settle(id, null, asApiException(f).status(), UsageRecord.FAILED))
                // the client left before the upstream began the stream: as for a plain request
                .onCancellation()
                .call(() -> m.settle(id, count(d, m, ""), UsageRecord.CLIENT_CLOSED, UsageRecord.ABANDONED))
                .onTermination()
                .invoke((item, failure, cancelled) -> {
                    if (item == null) {
                        lease.close();
                    }
                })
                .map(updates -> {
                    StreamRelay relay = new StreamRelay(id, created, d.info().modelName(), text -> count(d, m, text));
                    Multi<Buffer> events = updates.onItem()
                            .transformToIterable(relay::accept)
                            .onCompletion()
                            .switchTo(() -> Multi.createFrom().iterable(relay.finish()))
                            .map(u -> event(json(u)))
                            // [DONE] goes out once the ledger has the request
                            .onCompletion()
                            .call(() -> m.settle(id, relay.usage(), 200, UsageRecord.COMPLETED))
                            .onCompletion()
                            .continueWith(DONE)
                            .onFailure()
                            .call(f -> m.settle(
                                    id, relay.usage(), asApiException(f).status(), UsageRecord.FAILED))
                            .onFailure()
                            .recoverWithItem(f -> event(errors.body(asApiException(f))))
                            .onCancellation()
                            .call(() -> m.settle(id, relay.usage(), 200, UsageRecord.ABANDONED))
                            .onTermination()
                            .invoke(lease::close);
                    Map<String, List<String>> headers = headers(m, "Content-Type", "text/event-stream");
                    headers.put("Cache-Control", List.of("no-cache"));
                    return new Reply(200, headers, EventBatcher.batch(events));
                });
    }

    private static Map<String, List<String>> headers(Metered m, String name, String value) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put(name, List.of(value));
        m.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        return headers;
    }

    private Reply error(Throwable failure, Map<String, String> limitHeaders) {
        ApiException e = asApiException(failure);
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        limitHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
        errors.headers(e).forEach((k, v) -> headers.put(k, List.of(v)));
        return new Reply(e.status(), headers, Multi.createFrom().item(errors.body(e)));
    }

    private static ApiException asApiException(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        LOG.error("Unexpected failure of a chat completion", failure);
        return new ApiException(500, "internal_error", "The service failed unexpectedly.");
    }

    private CompletionsUsage count(Deployment d, Metered m, String completion) {
        return CompletionsUsage.of(m.promptTokens(), tokens.countText(d.info().modelName(), completion));
    }

    private static String text(ChatCompletions c) {
        StringBuilder sb = new StringBuilder();
        c.choices().forEach(ch -> {
            ChatCompletions.ChatResponseMessage m = ch.message();
            if (m == null) {
                return;
            }
            if (m.content() != null) {
                sb.append(m.content());
            }
            if (m.reasoningContent() != null) {
                sb.append(m.reasoningContent());
            }
            if (m.toolCalls() != null) {
                m.toolCalls().forEach(t -> sb.append(t.function().name())
                        .append(t.function().arguments()));
            }
        });
        return sb.toString();
    }

    private static String model(Deployment d, String upstreamModel) {
        return upstreamModel != null && !upstreamModel.isBlank()
                ? upstreamModel
                : d.info().modelName();
    }

    private Buffer json(Object value) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Buffer event(Buffer json) {
        return Buffer.buffer("data: ".getBytes(StandardCharsets.US_ASCII))
                .appendBuffer(json)
                .appendString("\n\n");
    }
}
