package dev.azinfer.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * BENCHMARK TOOL, not a model: the fastest OpenAI-compatible upstream we can make, so that a
 * benchmark measures the service and not the upstream. Answers every POST with a fixed chat
 * completion, or a fixed stream of 8 events when the body asks for one.
 * Usage: {@code java -cp ... dev.azinfer.bench.StubUpstream PORT}
 */
public final class StubUpstream {

    private static final Buffer COMPLETION = Buffer.buffer(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":\"stub\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I assist you today?\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29}}");

    private static final Buffer STREAM;

    static {
        StringBuilder sb = new StringBuilder();
        String head =
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"stub\",\"choices\":[{\"index\":0,\"delta\":";
        sb.append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (String word : new String[] {"Hello", "!", " How", " can", " I", " help", "?"}) {
            sb.append(head).append("{\"content\":\"").append(word).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.append(
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"stub\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":7,\"total_tokens\":26}}\n\n");
        sb.append("data: [DONE]\n\n");
        STREAM = Buffer.buffer(sb.toString());
    }

    private StubUpstream() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    boolean stream = body.toString().contains("\"stream\":true");
                    request.response()
                            .putHeader("Content-Type", stream ? "text/event-stream" : "application/json")
                            .end(stream ? STREAM : COMPLETION);
                }))
                .listen(port, "127.0.0.1")
                .onSuccess(s -> System.out.println("stub upstream on " + s.actualPort()));
    }
}
