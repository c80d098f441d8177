package dev.azinfer.inference;

import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.StreamingChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-stream state between a provider's updates and the client: gives every update the
 * response's identity, and makes sure the chunk that carries {@code finish_reason} also carries
 * {@code usage}. Only that one chunk is ever held back, until the upstream's usage-only chunk (sent
 * after it by OpenAI servers) arrives or the stream ends; every other chunk passes at once. A stream
 * whose upstream sent more choices after the finishing chunk, and no usage, ends with a usage-only
 * chunk instead, so that every stream reports its usage once.
 */
final class StreamRelay {

    interface UsageCounter {
        CompletionsUsage count(String completionText);
    }

    private final String id;
    private final long created;
    private final String model;
    private final UsageCounter counter;
    private final StringBuilder text = new StringBuilder();
    private StreamingChatCompletionsUpdate held;
    private CompletionsUsage usage;
    private boolean usageSent;

    StreamRelay(String id, long created, String model, UsageCounter counter) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.counter = counter;
    }

    List<StreamingChatCompletionsUpdate> accept(StreamingChatCompletionsUpdate update) {
        List<StreamingChatCompletionsUpdate> out = new ArrayList<>(2);
        if (update.usage() != null) {
            usage = update.usage();
        }
        for (StreamingChoice choice : update.choices()) {
            if (choice.delta() != null) {
                append(choice.delta().content());
                append(choice.delta().reasoningContent());
                if (choice.delta().toolCalls() != null) {
                    choice.delta().toolCalls().forEach(t -> {
                        if (t.function() != null) {
                            append(t.function().name());
                            append(t.function().arguments());
                        }
                    });
                }
            }
        }
        boolean finishing = update.choices().stream().anyMatch(c -> c.finishReason() != null);
        boolean usageOnly = update.choices().isEmpty();
        if (held != null && (finishing || !usageOnly)) {
            out.add(stamp(held.choices(), null));
            held = null;
        }
        if (finishing && update.usage() == null) {
            held = update;
        } else if (!usageOnly) {
            out.add(stamp(update.choices(), update.usage()));
        } else if (held != null) {
            out.add(stamp(held.choices(), usage));
            held = null;
        } else if (update.usage() != null) {
            out.add(stamp(update.choices(), update.usage()));
        }
        return out;
    }

    List<StreamingChatCompletionsUpdate> finish() {
        if (held == null && usageSent) {
            return List.of();
        }
        // the held finishing chunk, else a usage-only chunk
        List<StreamingChoice> choices = held != null ? held.choices() : List.of();
        held = null;
        return List.of(stamp(choices, usage()));
    }

    /** The usage the client was sent, else (a stream abandoned or failed on the way) the tokens counted so far. */
    CompletionsUsage usage() {
        return usage != null ? usage : counter.count(text.toString());
    }

    private void append(String s) {
        if (s != null) {
            text.append(s);
        }
    }

    private StreamingChatCompletionsUpdate stamp(List<StreamingChoice> choices, CompletionsUsage withUsage) {
        usageSent |= withUsage != null;
        return new StreamingChatCompletionsUpdate(
                id, StreamingChatCompletionsUpdate.OBJECT, created, model, choices, withUsage);
    }
}
