package dev.azinfer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The Azure error envelope: {@code {"error":{"code","message","target","details","innererror"}}}. */
public record ErrorResponse(Error error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(
            String code,
            String message,
            String target,
            List<Error> details,
            com.fasterxml.jackson.databind.JsonNode innererror) {}

    public static ErrorResponse of(ApiException e) {
        return new ErrorResponse(new Error(e.code(), e.getMessage(), e.target(), null, e.innerError()));
    }
}
