package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A function call requested by the model: {@code {id, type:"function", function:{name, arguments}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChatCompletionsToolCall", description = "A function call requested by the model.")
public record ToolCall(
        @Schema(
                title = "Tool Call ID",
                description = "The ID of the call; a tool message answers it with this tool_call_id.",
                required = true)
        @NotNull
        String id,

        @Schema(
                title = "Tool Call Type",
                description = "Always function.",
                enumeration = {"function"})
        String type,

        @Schema(required = true) @NotNull @Valid FunctionCall function) {

    /**
     * A call without a type is a function call (the only kind): some clients leave the type out
     * of the assistant messages they send back, and OpenAI's and Azure's APIs require it.
     */
    public ToolCall {
        type = type == null ? "function" : type;
    }

    public static ToolCall function(String id, String name, String arguments) {
        return new ToolCall(id, "function", new FunctionCall(name, arguments));
    }

    /** {@code arguments} is a JSON document in a string, as the contract says. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "FunctionCall", description = "The function to call and its arguments.")
    public record FunctionCall(
            @Schema(title = "Function Name", description = "The name of the function to call.", required = true)
            @NotNull
            String name,

            @Schema(
                    title = "Function Arguments",
                    description = "The arguments, as a JSON document in a string.",
                    required = true)
            @NotNull
            String arguments) {}

    /** Names a function ({@code tool_choice}). */
    @Schema(name = "ChatCompletionsNamedToolChoiceFunction", description = "The function to call.")
    public record FunctionName(
            @Schema(title = "Function Name", description = "The name of the function.", required = true)
            String name) {}
}
