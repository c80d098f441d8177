package dev.azinfer.api;

import java.util.Map;

/**
 * The one error type of the service: every failure that reaches a client is one of these, and
 * {@link AzureErrors} turns it into the Azure error envelope.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String target;
    private final Map<String, String> headers;
    private final com.fasterxml.jackson.databind.JsonNode innerError;

    public ApiException(int status, String code, String message, String target, Map<String, String> headers) {
        this(status, code, message, target, headers, null);
    }

    /** @param innerError the {@code innererror} of the envelope: an upstream's own details, passed on as they are */
    public ApiException(
            int status,
            String code,
            String message,
            String target,
            Map<String, String> headers,
            com.fasterxml.jackson.databind.JsonNode innerError) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.target = target;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.innerError = innerError;
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    public static ApiException badRequest(String code, String message, String target) {
        return new ApiException(400, code, message, target, null);
    }

    public static ApiException invalidParameter(String target, String message) {
        return new ApiException(400, "invalid_parameter", message, target, null);
    }

    public static ApiException notSupported(String parameter, String deployment) {
        return new ApiException(
                422,
                "parameter_not_supported",
                "The model behind deployment '" + deployment + "' does not support the parameter '" + parameter
                        + "'. Remove it or choose another deployment.",
                parameter,
                null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String target() {
        return target;
    }

    /** The envelope's {@code innererror}, or null. */
    public com.fasterxml.jackson.databind.JsonNode innerError() {
        return innerError;
    }

    /** Extra response headers, e.g. {@code Retry-After} on 429. */
    public Map<String, String> headers() {
        return headers;
    }
}
