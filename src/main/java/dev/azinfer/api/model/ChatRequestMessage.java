package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * A message of the conversation. One record for every role, because the wire form is one object
 * with a {@code role} discriminator; what each role requires is checked by {@code ChatRequestRules}.
 * {@code content} stays JSON: a string, or an array of text, image and audio parts.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequestMessage(
        @NotNull String role,
        JsonNode content,
        String name,
        List<@NotNull @Valid ToolCall> toolCalls,
        String toolCallId) {}
