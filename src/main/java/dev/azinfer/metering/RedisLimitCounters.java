package dev.azinfer.metering;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The limit counters in Redis, shared by every replica. Check and count is one Lua script, so two
 * replicas admitting at the same instant cannot both take the last request of a window.
 */
final class RedisLimitCounters implements LimitCounters, AutoCloseable {

    private static final String ADMIT = """
            local r = tonumber(redis.call('GET', KEYS[1]) or '0')
            local t = tonumber(redis.call('GET', KEYS[2]) or '0')
            if r + 1 > tonumber(ARGV[1]) or t + tonumber(ARGV[3]) > tonumber(ARGV[2]) then
              return {0, r, t}
            end
            r = redis.call('INCR', KEYS[1])
            redis.call('EXPIRE', KEYS[1], 30)
            t = redis.call('INCRBY', KEYS[2], ARGV[3])
            redis.call('EXPIRE', KEYS[2], 180)
            return {1, r, t}
            """;
    private static final String ADJUST = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              local v = redis.call('INCRBY', KEYS[1], ARGV[1])
              if v < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
            end
            return 1
            """;

    private final Redis client;
    private final RedisAPI api;

    RedisLimitCounters(Vertx vertx, String url) {
        this.client = Redis.createClient(
                vertx, new RedisOptions().setConnectionString(url).setMaxPoolWaiting(1024));
        this.api = RedisAPI.api(client);
    }

    @Override
    public Uni<Counts> admit(Windows w, long requestLimit, long tokenLimit, long tokens) {
        List<String> args = new ArrayList<>(List.of(ADMIT, "2", requestKey(w), tokenKey(w)));
        args.addAll(List.of(Long.toString(requestLimit), Long.toString(tokenLimit), Long.toString(tokens)));
        return uni(api.eval(args))
                .map(r -> new Counts(
                        r.get(0).toLong() == 1, r.get(1).toLong(), r.get(2).toLong()));
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Uni<Counts> peek(Windows w) {
        return uni(api.mget(List.of(requestKey(w), tokenKey(w))))
                .map(r -> new Counts(true, count(r.get(0)), count(r.get(1))));
    }

    private static long count(Response value) {
        return value == null ? 0 : value.toLong();
    }

    @Override
    public Uni<Void> adjustTokens(Windows w, long delta) {
        return uni(api.eval(List.of(ADJUST, "1", tokenKey(w), Long.toString(delta))))
                .replaceWithVoid();
    }

    private static String requestKey(Windows w) {
        return "azinfer:limit:{" + w.deployment() + "}:requests:" + w.requestWindow();
    }

    private static String tokenKey(Windows w) {
        return "azinfer:limit:{" + w.deployment() + "}:tokens:" + w.tokenWindow();
    }

    /**
     * How long Redis may take to answer. One that stops answering (paused, packets dropped) never
     * fails a command by itself: without this, every request would hang in admission, and every
     * answer at its settlement. A failure admits (see {@link DeploymentLimits}).
     */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static Uni<Response> uni(Future<Response> f) {
        return Uni.createFrom()
                .completionStage(f.toCompletionStage())
                .ifNoItem()
                .after(TIMEOUT)
                .fail();
    }

    @Override
    public void close() {
        client.close();
    }
}
