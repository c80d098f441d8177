package dev.azinfer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Events ready in one event-loop task go out as one write; nothing is held for later ones. */
class EventBatcherTest {

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close();
    }

    /** Subscribes on an event loop, as the HTTP layer does; answers the writes and how the stream ended. */
    private static List<String> writes(Multi<Buffer> events, String[] ended) throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        VERTX.runOnContext(v -> EventBatcher.batch(events)
                .subscribe()
                .with(
                        b -> writes.add(b.toString()),
                        f -> {
                            ended[0] = "failed: " + f.getMessage();
                            done.complete(null);
                        },
                        () -> {
                            ended[0] = "completed";
                            done.complete(null);
                        }));
        done.get(10, TimeUnit.SECONDS);
        return writes;
    }

    @Test
    void events_ready_together_are_one_write() throws Exception {
        String[] ended = new String[1];
        Multi<Buffer> three = Multi.createFrom()
                .items("data: a\n\n", "data: b\n\n", "data: c\n\n")
                .map(Buffer::buffer);
        assertEquals(List.of("data: a\n\ndata: b\n\ndata: c\n\n"), writes(three, ended));
        assertEquals("completed", ended[0]);
    }

    @Test
    void an_event_is_not_held_for_the_next_one() throws Exception {
        String[] ended = new String[1];
        Multi<Buffer> apart = Multi.createFrom().emitter(out -> {
            out.emit(Buffer.buffer("one"));
            out.emit(Buffer.buffer("two"));
            VERTX.setTimer(50, t -> {
                out.emit(Buffer.buffer("three"));
                out.complete();
            });
        });
        assertEquals(List.of("onetwo", "three"), writes(apart, ended));
        assertEquals("completed", ended[0]);
    }

    @Test
    void a_failure_comes_after_what_was_ready() throws Exception {
        String[] ended = new String[1];
        Multi<Buffer> failing = Multi.createFrom().emitter(out -> {
            out.emit(Buffer.buffer("partial"));
            out.fail(new IllegalStateException("upstream gone"));
        });
        assertEquals(List.of("partial"), writes(failing, ended));
        assertEquals("failed: upstream gone", ended[0]);
    }

    @Test
    void events_from_another_thread_keep_their_order() throws Exception {
        String[] ended = new String[1];
        Multi<Buffer> fromWorker = Multi.createFrom().emitter(out -> new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        out.emit(Buffer.buffer(i + ","));
                    }
                    out.complete();
                })
                .start());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append(i).append(',');
        }
        assertEquals(expected.toString(), String.join("", writes(fromWorker, ended)));
        assertEquals("completed", ended[0]);
    }
}
