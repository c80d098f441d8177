package dev.azinfer.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.provider.UpstreamErrors;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Transport for the OpenAI chat completions wire format over one pooled, non-blocking HTTP client
 * per deployment. Streams are relayed event by event; cancelling one resets the upstream request.
 */
public final class OpenAiWireClient implements AutoCloseable {

    /** Where and how to send: the full URL and the headers that carry credentials and options. */
    public record Target(String url, Map<String, String> headers) {}

    private final String deployment;
    private final HttpClient http;
    private final long readTimeoutMillis;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    /** Requests per URL, parsed once: the URL is the same on every request of a deployment. */
    private final Map<String, RequestOptions> templates = new java.util.concurrent.ConcurrentHashMap<>();

    public OpenAiWireClient(Vertx vertx, ObjectMapper mapper, String deployment, ProviderConfig config) {
        this.deployment = deployment;
        this.vertx = vertx;
        this.mapper = mapper;
        this.readTimeoutMillis = config.readTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setDecompressionSupported(true);
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(256));
    }

    public Uni<ChatCompletions> complete(Target target, ObjectNode body) {
        return send(target, body)
                .onItem()
                .transformToUni(response -> response.body()
                        .onCancellation()
                        .invoke(() -> vertx.runOnContext(response.request()::reset))
                        .map(buffer -> {
                            if (response.statusCode() / 100 != 2) {
                                throw UpstreamErrors.fromStatus(
                                        deployment, response.statusCode(), buffer.getBytes(), response::getHeader);
                            }
                            return WireModel.toPublic(read(buffer.getBytes(), WireModel.Completion.class));
                        }))
                .onFailure()
                .transform(f -> UpstreamErrors.fromFailure(deployment, f));
    }

    public Uni<Multi<StreamingChatCompletionsUpdate>> stream(Target target, ObjectNode body) {
        return send(target, body)
                .onItem()
                .transformToUni(response -> {
                    if (response.statusCode() / 100 != 2) {
                        return response.body().map(buffer -> {
                            throw UpstreamErrors.fromStatus(
                                    deployment, response.statusCode(), buffer.getBytes(), response::getHeader);
                        });
                    }
                    return Uni.createFrom().item(events(response));
                })
                .onFailure()
                .transform(f -> UpstreamErrors.fromFailure(deployment, f));
    }

    private Multi<StreamingChatCompletionsUpdate> events(HttpClientResponse response) {
        SseDecoder decoder = new SseDecoder();
        HttpClientRequest request = response.request();
        return response.toMulti()
                .onItem()
                .transformToIterable(buffer -> decoder.feed(buffer.getBytes()))
                .onCompletion()
                .switchTo(() -> Multi.createFrom().iterable(decoder.finish()))
                .select()
                .first(data -> !data.trim().equals("[DONE]"))
                .map(data -> {
                    byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    WireModel.Completion chunk = read(bytes, WireModel.Completion.class);
                    if (chunk.isError()) {
                        // not a chunk without choices: the stream failed, and must not end as if complete
                        throw UpstreamErrors.fromStreamEvent(deployment, bytes);
                    }
                    return WireModel.toPublicUpdate(chunk);
                })
                // reset on the next turn of the event loop, once the response stream is unsubscribed,
                // so the failure the reset causes has no listener left to report it as an error
                .onCancellation()
                .invoke(() -> vertx.runOnContext(request::reset))
                .onFailure()
                .transform(f -> UpstreamErrors.fromFailure(deployment, f));
    }

    private Uni<HttpClientResponse> send(Target target, ObjectNode body) {
        RequestOptions options = new RequestOptions(templates.computeIfAbsent(target.url(), url -> new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(readTimeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream")));
        target.headers().forEach(options::putHeader);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        // a client that leaves before the upstream answers cancels this: the upstream stops working on it
        return http.request(options).onItem().transformToUni(request -> request.send(Buffer.buffer(bytes))
                .onCancellation()
                .invoke(() -> vertx.runOnContext(request::reset)));
    }

    private <T> T read(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new ApiException(
                    502,
                    "upstream_invalid_response",
                    "The upstream of deployment '" + deployment
                            + "' answered with a body that is not a chat completion.");
        }
    }

    @Override
    public void close() {
        http.closeAndAwait();
    }
}
