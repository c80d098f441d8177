package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** A function call requested by the model: {@code {id, type:"function", function:{name, arguments}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(
        @NotNull String id, String type, @NotNull @Valid FunctionCall function) {

    public static ToolCall function(String id, String name, String arguments) {
        return new ToolCall(id, "function", new FunctionCall(name, arguments));
    }

    /** {@code arguments} is a JSON document in a string, as the contract says. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionCall(
            @NotNull String name, @NotNull String arguments) {}
}
