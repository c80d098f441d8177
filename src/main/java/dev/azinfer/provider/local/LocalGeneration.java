package dev.azinfer.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.ChatCompletions.ChatChoice;
import dev.azinfer.api.model.ChatCompletions.ChatResponseMessage;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.api.model.ChatCompletionsOptions.ToolDefinition;
import dev.azinfer.api.model.CompletionsUsage;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.Delta;
import dev.azinfer.api.model.StreamingChatCompletionsUpdate.ToolCallDelta;
import dev.azinfer.api.model.ToolCall;
import dev.azinfer.config.ProviderConfig.LocalModelConfig;
import dev.azinfer.provider.ChatRequest;
import io.smallrye.mutiny.Multi;
import java.lang.reflect.Field;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One generation on the in-process model: its prompt, sampling, grammar and how its result is reported. */
final class LocalGeneration {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Field STOP = stopField();

    private final LlamaModel model;
    private final InferenceParameters parameters;
    private final int promptTokens;
    private final int maxTokens;
    /** The functions the output must call, when {@code tool_choice} requires one; else null. */
    private final List<ToolDefinition> forcedTools;

    private LocalGeneration(
            LlamaModel model,
            InferenceParameters parameters,
            int promptTokens,
            int maxTokens,
            List<ToolDefinition> forcedTools) {
        this.model = model;
        this.parameters = parameters;
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
        this.forcedTools = forcedTools;
    }

    static LocalGeneration plan(LlamaModel model, ChatRequest request, LocalModelConfig config) {
        ChatCompletionsOptions o = request.options();
        String prompt = LocalPrompt.build(model, o.messages(), config.promptFormat());
        int promptTokens = model.encode(prompt).length + 1; // + BOS, which encode() leaves out
        int room = config.contextPerSlot() - promptTokens;
        if (room <= 0) {
            throw ApiException.invalidParameter(
                    "messages",
                    "The messages take " + promptTokens + " tokens; this model's context holds "
                            + config.contextPerSlot() + ".");
        }
        int maxTokens = Math.min(o.maxTokens() != null ? o.maxTokens() : config.defaultMaxTokens(), room);
        long seed = o.seed() != null ? o.seed() : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        InferenceParameters p = new InferenceParameters(prompt)
                .setTemperature(value(o.temperature(), ChatCompletionsOptions.DEFAULT_TEMPERATURE))
                .setTopP(value(o.topP(), ChatCompletionsOptions.DEFAULT_TOP_P))
                .setFrequencyPenalty(value(o.frequencyPenalty(), ChatCompletionsOptions.DEFAULT_FREQUENCY_PENALTY))
                .setPresencePenalty(value(o.presencePenalty(), ChatCompletionsOptions.DEFAULT_PRESENCE_PENALTY))
                .setSeed((int) (seed ^ (seed >>> 32)) & Integer.MAX_VALUE)
                .setNPredict(Math.max(maxTokens, 1))
                .setCachePrompt(false);
        if (o.stop() != null) {
            p.setStopStrings(o.stop().toArray(String[]::new));
        }
        List<ToolDefinition> forced = forcedTools(o);
        JsonNode schema = forced != null ? toolCallSchema(forced) : outputSchema(o);
        if (schema != null) {
            p.setGrammar(grammar(schema));
        }
        return new LocalGeneration(model, p, promptTokens, maxTokens, forced);
    }

    private static float value(Double given, double fallback) {
        return (float) (given != null ? given : fallback);
    }

    private static String grammar(JsonNode schema) {
        try {
            return LlamaModel.jsonSchemaToGrammar(schema.toString());
        } catch (RuntimeException e) {
            throw new ApiException(
                    422,
                    "parameter_not_supported",
                    "The JSON Schema could not be turned into a grammar for the in-process model: " + e.getMessage(),
                    "response_format",
                    null);
        }
    }

    private static JsonNode outputSchema(ChatCompletionsOptions o) {
        if (o.responseFormat() == null) {
            return null;
        }
        return switch (o.responseFormat().type()) {
            case "json_object" -> JsonNodeFactory.instance.objectNode().put("type", "object");
            case "json_schema" -> {
                ChatCompletionsOptions.JsonSchemaFormat format =
                        o.responseFormat().jsonSchema();
                yield JsonSchemaSubset.usable(
                        format.schema(), "response_format.json_schema.schema", Boolean.TRUE.equals(format.strict()));
            }
            default -> null;
        };
    }

    private static List<ToolDefinition> forcedTools(ChatCompletionsOptions o) {
        JsonNode choice = o.toolChoice();
        if (choice == null || choice.isNull() || o.tools() == null) {
            return null;
        }
        if (choice.isTextual()) {
            return choice.asText().equals("required") ? o.tools() : null;
        }
        String name = choice.path("function").path("name").asText();
        List<ToolDefinition> named =
                o.tools().stream().filter(t -> t.function().name().equals(name)).toList();
        return named.isEmpty() ? null : named;
    }

    /** {@code {"name": <one of the functions>, "arguments": <that function's parameters>}}. */
    private static JsonNode toolCallSchema(List<ToolDefinition> tools) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode anyOf = root.putArray("anyOf");
        for (int i = 0; i < tools.size(); i++) {
            ToolDefinition tool = tools.get(i);
            JsonNode params = tool.function().parameters();
            if (params == null || params.isNull()) {
                params = JsonNodeFactory.instance.objectNode().put("type", "object");
            }
            JsonSchemaSubset.check(params, "tools[" + i + "].function.parameters");
            ObjectNode call = anyOf.addObject().put("type", "object");
            call.putObject("properties")
                    .set(
                            "name",
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("const", tool.function().name()));
            ((ObjectNode) call.get("properties")).set("arguments", params);
            call.putArray("required").add("name").add("arguments");
        }
        return tools.size() == 1 ? anyOf.get(0) : root;
    }

    /** Generates on the calling (worker) thread, handing each piece of text to {@code onText}. */
    private Outcome run(Consumer<String> onText, AtomicBoolean cancelled) {
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        if (maxTokens > 0) {
            LlamaIterator it = model.generate(parameters).iterator();
            while (it.hasNext()) {
                if (cancelled.get()) {
                    it.cancel();
                    break;
                }
                LlamaOutput out = it.next();
                if (!isStop(out)) {
                    tokens++;
                }
                if (!out.text.isEmpty()) {
                    text.append(out.text);
                    onText.accept(out.text);
                }
            }
        }
        String finish = tokens >= maxTokens ? "length" : "stop";
        ToolCall call = forcedTools == null ? null : toolCall(text.toString());
        if (call != null) {
            finish = "tool_calls";
        }
        return new Outcome(text.toString(), call, finish, CompletionsUsage.of(promptTokens, tokens));
    }

    private record Outcome(String text, ToolCall call, String finishReason, CompletionsUsage usage) {}

    private static ToolCall toolCall(String output) {
        try {
            JsonNode node = JSON.readTree(output);
            if (node == null || !node.path("name").isTextual() || !node.has("arguments")) {
                return null;
            }
            return ToolCall.function(
                    "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                    node.get("name").asText(),
                    JSON.writeValueAsString(node.get("arguments")));
        } catch (Exception truncated) {
            // cut off by max_tokens: reported as text with finish_reason 'length'
            return null;
        }
    }

    /** The whole answer; stops generating once {@code cancelled} is set (the client left). */
    ChatCompletions complete(AtomicBoolean cancelled) {
        Outcome outcome = run(text -> {}, cancelled);
        ChatResponseMessage message = outcome.call() != null
                ? new ChatResponseMessage("assistant", null, List.of(outcome.call()))
                : new ChatResponseMessage("assistant", outcome.text(), null);
        return new ChatCompletions(
                null,
                ChatCompletions.OBJECT,
                0,
                null,
                List.of(new ChatChoice(0, outcome.finishReason(), message)),
                outcome.usage());
    }

    Multi<StreamingChatCompletionsUpdate> stream(ExecutorService executor) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> cancelled.set(true));
            executor.execute(() -> {
                try {
                    emitter.emit(StreamingChatCompletionsUpdate.delta(new Delta("assistant", "", null), null));
                    boolean textOut = forcedTools == null;
                    Outcome outcome = run(
                            text -> {
                                if (textOut) {
                                    emitter.emit(
                                            StreamingChatCompletionsUpdate.delta(new Delta(null, text, null), null));
                                }
                            },
                            cancelled);
                    if (cancelled.get()) {
                        return;
                    }
                    if (!textOut) {
                        Delta delta = outcome.call() != null
                                ? new Delta(
                                        null,
                                        null,
                                        List.of(new ToolCallDelta(
                                                0,
                                                outcome.call().id(),
                                                "function",
                                                outcome.call().function())))
                                : new Delta(null, outcome.text(), null);
                        emitter.emit(StreamingChatCompletionsUpdate.delta(delta, null));
                    }
                    StreamingChatCompletionsUpdate last =
                            StreamingChatCompletionsUpdate.delta(new Delta(null, null, null), outcome.finishReason());
                    emitter.emit(new StreamingChatCompletionsUpdate(
                            null, last.object(), 0, null, last.choices(), outcome.usage()));
                    emitter.complete();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
    }

    private static boolean isStop(LlamaOutput out) {
        try {
            return STOP != null && STOP.getBoolean(out);
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** The library marks the final, empty output of a generation in a field it does not expose. */
    private static Field stopField() {
        try {
            Field f = LlamaOutput.class.getDeclaredField("stop");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
