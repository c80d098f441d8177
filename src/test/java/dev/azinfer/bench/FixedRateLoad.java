package dev.azinfer.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * BENCHMARK TOOL: an open-loop load generator. It sends POST requests at a constant rate, each at
 * its own scheduled instant whether or not earlier ones have been answered, and measures each
 * latency from that scheduled instant to the end of the answer. A slow answer therefore shows in
 * the percentiles instead of holding back the requests behind it (coordinated omission), and the
 * requests arrive one at a time instead of in the bursts of closed-loop tools such as hey, whose
 * workers' tickers fire together. Prints percentiles in milliseconds.
 * Usage: {@code java -cp ... dev.azinfer.bench.FixedRateLoad URL RATE SECONDS BODY_FILE [WARMUP_SECONDS]},
 * with the environment variable API_KEY sent as {@code api-key} when set.
 */
public final class FixedRateLoad {

    private FixedRateLoad() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        byte[] body = Files.readAllBytes(Path.of(args[3]));
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(512));
        RequestOptions target = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json");
        String key = System.getenv("API_KEY");
        if (key != null) {
            target.putHeader("api-key", key);
        }
        Context context = vertx.getOrCreateContext();
        Buffer payload = Buffer.buffer(body);
        if (warmup > 0) {
            run(context, client, target, payload, rate, warmup);
        }
        Result result = run(context, client, target, payload, rate, seconds);
        result.print(rate);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Result(long[] nanos, int failures, long elapsedNanos) {
        void print(int rate) {
            long[] sorted = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "target %d req/s, sent %d in %.1f s, %d failed or not 2xx%n",
                    rate,
                    nanos.length,
                    elapsedNanos / 1e9,
                    failures);
            System.out.printf(
                    Locale.ROOT,
                    "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    ms(sorted, 0.50),
                    ms(sorted, 0.90),
                    ms(sorted, 0.99),
                    ms(sorted, 0.999),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
        }

        private static double ms(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    private static Result run(
            Context context, HttpClient client, RequestOptions target, Buffer payload, int rate, int seconds)
            throws InterruptedException {
        int count = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] latencies = new long[count];
        Arrays.fill(latencies, -1);
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * period;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            context.runOnContext(v -> client.request(target)
                    .compose(request -> request.send(payload))
                    .compose(response -> response.body().map(b -> response.statusCode()))
                    .onComplete(answer -> {
                        latencies[index] = System.nanoTime() - scheduled;
                        if (answer.failed() || answer.result() / 100 != 2) {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    }));
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            System.out.println("gave up waiting for " + done.getCount() + " answers");
        }
        return new Result(latencies, failures.get(), System.nanoTime() - start);
    }
}
