package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A message of the conversation. One record for every role, because the wire form is one object
 * with a {@code role} discriminator; what each role requires is checked by {@code ChatRequestRules}.
 * {@code content} stays JSON: a string, or an array of text, image and audio parts.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChatRequestMessage", description = "A message of the conversation.")
public record ChatRequestMessage(
        @Schema(
                title = "Role",
                description =
                        "Who speaks: system, developer, user, assistant, or tool (the result of a function call).",
                enumeration = {"system", "developer", "user", "assistant", "tool"},
                required = true)
        @NotNull
        String role,

        @Schema(
                title = "Content",
                description = "The text of the message, or for user messages an array of text, image and audio parts.",
                oneOf = {String.class, ChatMessageContentItem[].class})
        JsonNode content,

        @Schema(title = "Name", description = "An optional name of the speaker.")
        String name,

        @Schema(title = "Tool Calls", description = "In assistant messages: the function calls the model requested.")
        List<@NotNull @Valid ToolCall> toolCalls,

        @Schema(title = "Tool Call ID", description = "In tool messages: the ID of the call this message answers.")
        String toolCallId) {}
