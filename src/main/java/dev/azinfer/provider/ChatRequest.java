package dev.azinfer.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.api.ExtraParameters;
import dev.azinfer.api.model.ChatCompletionsOptions;

/**
 * What a provider receives: the validated options with the documented defaults filled in, the
 * extra fields to forward (empty unless {@code extra-parameters: pass-through}), and the policy.
 */
public record ChatRequest(ChatCompletionsOptions options, ObjectNode extras, ExtraParameters mode) {}
