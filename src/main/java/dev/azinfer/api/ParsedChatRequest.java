package dev.azinfer.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.api.model.ChatCompletionsOptions;

/** A validated request: the known fields, and the extra fields that are to reach the model (pass-through only). */
public record ParsedChatRequest(ChatCompletionsOptions options, ObjectNode extras, ExtraParameters mode) {}
