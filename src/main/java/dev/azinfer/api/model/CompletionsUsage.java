package dev.azinfer.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionsUsage(int completionTokens, int promptTokens, int totalTokens) {

    public static CompletionsUsage of(int promptTokens, int completionTokens) {
        return new CompletionsUsage(completionTokens, promptTokens, promptTokens + completionTokens);
    }
}
