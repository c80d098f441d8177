package dev.azinfer.metering;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The limit counters of a single replica, in memory. */
final class LocalLimitCounters implements LimitCounters {

    /** One deployment's current windows; older ones are dropped when a newer one starts. */
    private static final class Slot {
        long requestWindow = -1;
        long requests;
        long tokenWindow = -1;
        long tokens;

        void roll(Windows w) {
            if (requestWindow != w.requestWindow()) {
                requestWindow = w.requestWindow();
                requests = 0;
            }
            if (tokenWindow != w.tokenWindow()) {
                tokenWindow = w.tokenWindow();
                tokens = 0;
            }
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    @Override
    public Uni<Counts> admit(Windows w, long requestLimit, long tokenLimit, long estimate) {
        Slot s = slots.computeIfAbsent(w.deployment(), k -> new Slot());
        synchronized (s) {
            s.roll(w);
            if (s.requests + 1 > requestLimit || s.tokens + estimate > tokenLimit) {
                return Uni.createFrom().item(new Counts(false, s.requests, s.tokens));
            }
            s.requests++;
            s.tokens += estimate;
            return Uni.createFrom().item(new Counts(true, s.requests, s.tokens));
        }
    }

    @Override
    public Uni<Counts> peek(Windows w) {
        Slot s = slots.get(w.deployment());
        if (s == null) {
            return Uni.createFrom().item(new Counts(true, 0, 0));
        }
        synchronized (s) {
            return Uni.createFrom()
                    .item(new Counts(
                            true,
                            s.requestWindow == w.requestWindow() ? s.requests : 0,
                            s.tokenWindow == w.tokenWindow() ? s.tokens : 0));
        }
    }

    @Override
    public void forget(String deployment) {
        slots.remove(deployment);
    }

    @Override
    public Uni<Void> adjustTokens(Windows w, long delta) {
        Slot s = slots.get(w.deployment());
        if (s != null) {
            synchronized (s) {
                if (s.tokenWindow == w.tokenWindow()) {
                    s.tokens = Math.max(0, s.tokens + delta);
                }
            }
        }
        return Uni.createFrom().voidItem();
    }
}
