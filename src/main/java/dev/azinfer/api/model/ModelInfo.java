package dev.azinfer.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of GetModelInfo. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ModelInfo", description = "The model behind a deployment.")
public record ModelInfo(
        @Schema(title = "Model Name", description = "The name of the model, for example Phi-4.", required = true)
        String modelName,

        @Schema(
                title = "Model Type",
                description = "What the model does.",
                required = true,
                enumeration = {
                    "embeddings",
                    "image_generation",
                    "text_generation",
                    "image_embeddings",
                    "audio_generation",
                    "chat_completion"
                })
        String modelType,

        @Schema(title = "Model Provider", description = "Who provides the model.", required = true)
        String modelProviderName) {}
