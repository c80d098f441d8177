package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of GetChatCompletions ({@code ChatCompletionsOptions} in the Azure contract). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChatCompletionsOptions", description = "The conversation and the options of a chat completion.")
public record ChatCompletionsOptions(
        @Schema(
                title = "Messages",
                description =
                        "The conversation so far: system, developer, user, assistant and tool messages, oldest first.",
                required = true,
                minItems = 1)
        @NotNull
        @Size(min = 1, message = "must contain at least one message")
        List<@NotNull @Valid ChatRequestMessage> messages,

        @Schema(
                title = "Frequency Penalty",
                description =
                        "Lowers the chance of tokens in proportion to how often they already appeared, from -2 to 2.",
                minimum = "-2",
                maximum = "2",
                defaultValue = "0")
        @DecimalMin("-2")
        @DecimalMax("2")
        Double frequencyPenalty,

        @Schema(
                title = "Stream",
                description = "Send the reply as server-sent events as it is generated.",
                defaultValue = "false")
        Boolean stream,

        @Schema(
                title = "Presence Penalty",
                description = "Lowers the chance of tokens that already appeared at all, from -2 to 2.",
                minimum = "-2",
                maximum = "2",
                defaultValue = "0")
        @DecimalMin("-2")
        @DecimalMax("2")
        Double presencePenalty,

        @Schema(
                title = "Temperature",
                description = "Randomness of the reply, from 0 (focused) to 1 (creative).",
                minimum = "0",
                maximum = "1",
                defaultValue = "0.7")
        @DecimalMin("0")
        @DecimalMax("1")
        Double temperature,

        @Schema(
                title = "Top P",
                description =
                        "Nucleus sampling: only the tokens making up this probability mass are considered, from 0 to 1.",
                minimum = "0",
                maximum = "1",
                defaultValue = "1")
        @DecimalMin("0")
        @DecimalMax("1")
        Double topP,

        @Schema(
                title = "Max Tokens",
                description = "The most tokens the reply may have; the model's own limit when empty.",
                minimum = "0")
        @Min(0)
        Integer maxTokens,

        @Schema(
                title = "Response Format",
                description = "The form of the reply: text, any JSON object, or JSON that follows a schema.")
        @Valid
        ResponseFormat responseFormat,

        @Schema(
                title = "Stop Sequences",
                description = "Text at which the model stops; the text itself is not returned.",
                minItems = 1)
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @Size(min = 1, message = "must contain at least one stop sequence")
        List<@NotNull String> stop,

        @Schema(title = "Tools", description = "Functions the model may call.", minItems = 1)
        @Size(min = 1, message = "must contain at least one tool")
        List<@NotNull @Valid ToolDefinition> tools,

        @Schema(
                title = "Tool Choice",
                description =
                        "auto (the model decides), none, required (the model must call a function), or {\"type\":\"function\",\"function\":{\"name\":\"...\"}} for a given one.",
                oneOf = {String.class, NamedToolChoice.class})
        JsonNode toolChoice,

        @Schema(
                title = "Seed",
                description =
                        "Makes sampling repeatable: the same seed and parameters give the same reply where the model supports it.")
        Long seed,

        @Schema(
                title = "Model",
                description =
                        "The deployment to use. Empty: the one named by azureml-model-deployment, else the service's default deployment (the one its operator set, or its only one).")
        String model) {

    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final double DEFAULT_TOP_P = 1;
    public static final double DEFAULT_FREQUENCY_PENALTY = 0;
    public static final double DEFAULT_PRESENCE_PENALTY = 0;

    /** The body fields the Azure contract defines; anything else is an extra parameter. */
    public static final Set<String> FIELDS = Set.of(
            "messages",
            "frequency_penalty",
            "stream",
            "presence_penalty",
            "temperature",
            "top_p",
            "max_tokens",
            "response_format",
            "stop",
            "tools",
            "tool_choice",
            "seed",
            "model");

    /**
     * The same request with the documented defaults filled in, as it goes upstream, except for
     * parameters the deployment's model does not accept.
     */
    public ChatCompletionsOptions withDefaults(Set<String> unsupported) {
        return new ChatCompletionsOptions(
                messages,
                orDefault(frequencyPenalty, DEFAULT_FREQUENCY_PENALTY, "frequency_penalty", unsupported),
                stream,
                orDefault(presencePenalty, DEFAULT_PRESENCE_PENALTY, "presence_penalty", unsupported),
                orDefault(temperature, DEFAULT_TEMPERATURE, "temperature", unsupported),
                orDefault(topP, DEFAULT_TOP_P, "top_p", unsupported),
                maxTokens,
                responseFormat,
                stop,
                tools,
                toolChoice,
                seed,
                model);
    }

    private static Double orDefault(Double value, double fallback, String name, Set<String> unsupported) {
        if (unsupported.contains(name)) {
            // only the documented default can get here (any other value was refused with 422):
            // low-code designers fill it in, and it asks for nothing the model lacks
            return null;
        }
        return value != null ? value : Double.valueOf(fallback);
    }

    /** True when the value is absent or the documented default, i.e. asks for nothing special. */
    public static boolean isDefault(Double value, double documentedDefault) {
        return value == null || value == documentedDefault;
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** A function tool ({@code {type:"function", function:{name, description, parameters}}}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ChatCompletionsToolDefinition", description = "A function the model may call.")
    public record ToolDefinition(
            @Schema(
                    title = "Type",
                    description = "Always function.",
                    enumeration = {"function"},
                    required = true)
            @NotNull
            String type,

            @Schema(required = true) @NotNull @Valid FunctionDefinition function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "FunctionDefinition",
            description = "The function: its name, what it does, and the JSON Schema of its arguments.")
    public record FunctionDefinition(
            @Schema(title = "Function Name", description = "Letters, digits, _ and -, at most 64.", required = true)
            @NotEmpty
            String name,

            @Schema(
                    title = "Function Description",
                    description = "What the function does, so the model knows when to call it.")
            String description,

            @Schema(
                    title = "Parameters",
                    description = "JSON Schema of the function's arguments.",
                    type = SchemaType.OBJECT)
            JsonNode parameters) {}

    /** {@code {type: text | json_object | json_schema, json_schema: {...}}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ChatCompletionsResponseFormat", description = "The form of the reply.")
    public record ResponseFormat(
            @Schema(
                    title = "Format Type",
                    description = "text, json_object or json_schema.",
                    enumeration = {"text", "json_object", "json_schema"},
                    defaultValue = "text",
                    required = true)
            @NotNull
            String type,

            @Schema(title = "JSON Schema", description = "For json_schema: the schema the reply follows.") @Valid
            JsonSchemaFormat jsonSchema) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "ChatCompletionsResponseFormatJsonSchemaDefinition",
            description = "A named JSON Schema for the reply.")
    public record JsonSchemaFormat(
            @Schema(title = "Schema Name", description = "A name for the schema.", required = true) @NotEmpty
            String name,

            @Schema(title = "Schema", description = "The JSON Schema.", type = SchemaType.OBJECT, required = true)
            @NotNull
            JsonNode schema,

            @Schema(title = "Schema Description", description = "What the schema describes.")
            String description,

            @Schema(title = "Strict", description = "Follow the schema exactly.")
            Boolean strict) {}

    /** Documents the object form of {@code tool_choice}. */
    @Schema(name = "ChatCompletionsNamedToolChoice", description = "Makes the model call the named function.")
    public record NamedToolChoice(
            @Schema(
                    enumeration = {"function"},
                    required = true)
            String type,

            @Schema(required = true) ToolCall.FunctionName function) {}
}
