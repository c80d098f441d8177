package dev.azinfer.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * BENCHMARK TOOL, not the service: the least a relay can do. It forwards each request's body to
 * the upstream and sends the upstream's answer back, with no parsing, validation, metering or
 * anything else, on two Vert.x event loops and a pooled keep-alive client. Its throughput is the
 * ceiling for any service that sits between a client and an upstream on the same cores, which
 * puts the service's own figures in proportion.
 * Usage: {@code java -cp ... dev.azinfer.bench.BareRelay PORT UPSTREAM_PORT}
 */
public final class BareRelay {

    private BareRelay() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(64));
        RequestOptions target = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(upstream)
                .setURI("/v1/chat/completions")
                .putHeader("Content-Type", "application/json");
        // one server per event loop on the same port: Vert.x spreads the connections over them
        for (int loop = 0; loop < 2; loop++) {
            listen(vertx, port, client, target);
        }
    }

    private static void listen(Vertx vertx, int port, HttpClient client, RequestOptions target) {
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(request -> request.body()
                        .compose(body -> client.request(target).compose(out -> out.send(body)))
                        .compose(answer -> answer.body().map(bytes -> {
                            request.response()
                                    .putHeader("Content-Type", answer.getHeader("Content-Type"))
                                    .end(bytes);
                            return null;
                        }))
                        .onFailure(e -> request.response().setStatusCode(502).end(String.valueOf(e))))
                .listen(port, "127.0.0.1")
                .onSuccess(s -> System.out.println("bare relay on " + s.actualPort()));
    }
}
