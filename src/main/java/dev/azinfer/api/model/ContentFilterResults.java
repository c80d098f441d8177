package dev.azinfer.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an upstream's content filter (Azure OpenAI, Azure AI) found in a reply, per category;
 * relayed as the upstream reports it. Categories other than these four are left out.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "ContentFilterResults", description = "What the content filter found in the reply, per category.")
public record ContentFilterResults(
        @Schema(title = "Hate") Category hate,
        @Schema(title = "Self Harm") Category selfHarm,
        @Schema(title = "Sexual") Category sexual,
        @Schema(title = "Violence") Category violence) {

    /** Null when the upstream reported none of the four categories (Azure's streams send {@code {}}). */
    public static ContentFilterResults orNull(ContentFilterResults r) {
        return r == null || (r.hate == null && r.selfHarm == null && r.sexual == null && r.violence == null) ? null : r;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "ContentFilterResult", description = "The filter's finding in one category.")
    public record Category(
            @Schema(title = "Filtered", description = "Whether the content was filtered.")
            Boolean filtered,

            @Schema(
                    title = "Severity",
                    description = "How severe the content is: safe, low, medium or high.",
                    enumeration = {"safe", "low", "medium", "high"})
            String severity) {}
}
