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

/** The body of GetChatCompletions ({@code ChatCompletionsOptions} in the Azure contract). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionsOptions(
        @NotNull @Size(min = 1, message = "must contain at least one message")
        List<@NotNull @Valid ChatRequestMessage> messages,

        @DecimalMin("-2") @DecimalMax("2") Double frequencyPenalty,
        Boolean stream,
        @DecimalMin("-2") @DecimalMax("2") Double presencePenalty,
        @DecimalMin("0") @DecimalMax("1") Double temperature,
        @DecimalMin("0") @DecimalMax("1") Double topP,
        @Min(0) Integer maxTokens,
        @Valid ResponseFormat responseFormat,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @Size(min = 1, message = "must contain at least one stop sequence")
        List<@NotNull String> stop,

        @Size(min = 1, message = "must contain at least one tool")
        List<@NotNull @Valid ToolDefinition> tools,

        JsonNode toolChoice,
        Long seed,
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

    /** The same request with the documented defaults filled in, as it goes upstream. */
    public ChatCompletionsOptions withDefaults() {
        return new ChatCompletionsOptions(
                messages,
                frequencyPenalty == null ? DEFAULT_FREQUENCY_PENALTY : frequencyPenalty,
                stream,
                presencePenalty == null ? DEFAULT_PRESENCE_PENALTY : presencePenalty,
                temperature == null ? DEFAULT_TEMPERATURE : temperature,
                topP == null ? DEFAULT_TOP_P : topP,
                maxTokens,
                responseFormat,
                stop,
                tools,
                toolChoice,
                seed,
                model);
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** A function tool ({@code {type:"function", function:{name, description, parameters}}}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolDefinition(
            @NotNull String type, @NotNull @Valid FunctionDefinition function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDefinition(@NotEmpty String name, String description, JsonNode parameters) {}

    /** {@code {type: text | json_object | json_schema, json_schema: {...}}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(
            @NotNull String type, @Valid JsonSchemaFormat jsonSchema) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JsonSchemaFormat(
            @NotEmpty String name, @NotNull JsonNode schema, String description, Boolean strict) {}
}
