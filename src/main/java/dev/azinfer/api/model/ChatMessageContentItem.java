package dev.azinfer.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A part of a user message's content, as documented. Requests keep content as JSON (checked by
 * {@code ChatRequestRules}) so that parts reach the model unchanged; this record only describes them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ChatMessageContentItem", description = "A part of a message: text, an image, or audio.")
public record ChatMessageContentItem(
        @Schema(
                title = "Part Type",
                enumeration = {"text", "image_url", "input_audio", "audio_url"},
                required = true)
        String type,

        @Schema(title = "Text", description = "For text parts.")
        String text,

        @Schema(description = "For image_url parts.") ImageUrl imageUrl,
        @Schema(description = "For input_audio parts.") InputAudio inputAudio,
        @Schema(description = "For audio_url parts.") AudioUrl audioUrl) {

    @Schema(name = "ChatMessageImageUrl")
    public record ImageUrl(
            @Schema(title = "Image URL", description = "An https URL or a data: URL.", required = true)
            String url,

            @Schema(
                    title = "Detail",
                    enumeration = {"auto", "low", "high"})
            String detail) {}

    @Schema(name = "ChatMessageInputAudio")
    public record InputAudio(
            @Schema(title = "Audio Data", description = "Base64 audio.", required = true)
            String data,

            @Schema(
                    title = "Audio Format",
                    enumeration = {"wav", "mp3"},
                    required = true)
            String format) {}

    @Schema(name = "ChatMessageInputAudioUrl")
    public record AudioUrl(
            @Schema(title = "Audio URL", required = true) String url) {}
}
