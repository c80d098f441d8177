package dev.azinfer.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "CompletionsUsage", description = "The tokens used, which is what is billed.")
public record CompletionsUsage(
        @Schema(title = "Completion Tokens", description = "Tokens in the reply.", required = true)
        int completionTokens,

        @Schema(title = "Prompt Tokens", description = "Tokens in the messages sent.", required = true)
        int promptTokens,

        @Schema(title = "Total Tokens", description = "Prompt and completion tokens together.", required = true)
        int totalTokens) {

    public static CompletionsUsage of(int promptTokens, int completionTokens) {
        return new CompletionsUsage(completionTokens, promptTokens, promptTokens + completionTokens);
    }
}
