package dev.azinfer.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.api.ApiException;
import dev.azinfer.api.RetryAfter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one table from upstream outcomes to the statuses clients see. Tested as a table in
 * {@code UpstreamErrorsTest}; a newcomer changing a mapping changes it here only.
 */
public final class UpstreamErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamErrors() {}

    /** A non-2xx answer of the upstream. */
    public static ApiException fromStatus(String deployment, int status, byte[] body, Function<String, String> header) {
        JsonNode error = error(body);
        String upstreamMessage = message(error, body);
        String upstreamCode = code(error);
        if (status == 429) {
            Map<String, String> headers = new LinkedHashMap<>();
            copy(header, "Retry-After", headers);
            copy(header, "retry-after-ms", headers);
            copy(header, "x-ms-retry-after-ms", headers);
            if (!headers.containsKey("Retry-After")) {
                // clients that read only Retry-After (Power Automate's retry policy) wait as long as the others
                headers.put(
                        "Retry-After",
                        seconds(headers.getOrDefault("retry-after-ms", headers.get("x-ms-retry-after-ms"))));
            }
            return new ApiException(
                    429,
                    upstreamCode != null ? upstreamCode : "too_many_requests",
                    "The model behind deployment '" + deployment + "' is rate limited: "
                            + orDefault(upstreamMessage, "too many requests")
                            + ". Retry after the time given in Retry-After.",
                    null,
                    headers);
        }
        if (status == 401 || status == 403) {
            // The client's own key was accepted; this is the service's credential for the upstream.
            return new ApiException(
                    502,
                    "upstream_authentication_failed",
                    "The upstream of deployment '" + deployment + "' rejected the service's credentials (HTTP " + status
                            + "). The operator must fix the deployment's api-key.");
        }
        if (status == 408 || status == 504) {
            return new ApiException(
                    504,
                    "upstream_timeout",
                    "The upstream of deployment '" + deployment + "' timed out (HTTP " + status + ").");
        }
        if (status == 404) {
            // the client named a deployment that exists here; what is missing is upstream: misconfiguration
            return new ApiException(
                    502,
                    "upstream_not_found",
                    "The upstream of deployment '" + deployment + "' does not know the configured model or path: "
                            + orDefault(upstreamMessage, "HTTP 404")
                            + ". The operator must fix the deployment's url or upstream-model.");
        }
        if (status >= 400 && status < 500) {
            String code = upstreamCode != null ? upstreamCode : "upstream_bad_request";
            JsonNode details = null;
            if (status == 400 && "content_filter".equals(upstreamCode)) {
                code = "content_filter";
                // Azure's findings on the prompt (content_filter_result per category): the client needs them to see why
                details = error == null || !error.path("innererror").isObject() ? null : error.get("innererror");
            }
            return new ApiException(
                    status,
                    code,
                    orDefault(upstreamMessage, "The upstream refused the request (HTTP " + status + ")."),
                    null,
                    null,
                    details);
        }
        if (status == 503) {
            return new ApiException(
                    503,
                    "upstream_unavailable",
                    "The upstream of deployment '" + deployment + "' is unavailable: "
                            + orDefault(upstreamMessage, "HTTP 503") + ".");
        }
        return new ApiException(
                502,
                "upstream_error",
                "The upstream of deployment '" + deployment + "' failed with HTTP " + status + ": "
                        + orDefault(upstreamMessage, "no message") + ".");
    }

    /**
     * An error event in the middle of an upstream stream ({@code data: {"error":{...}}}, or vLLM's
     * older {@code data: {"object":"error",...}}): the answer has begun with 200, so the client gets it
     * as the stream's last event, in place of {@code [DONE]}.
     */
    public static ApiException fromStreamEvent(String deployment, byte[] data) {
        JsonNode error = error(data);
        String upstreamCode = code(error);
        return new ApiException(
                502,
                upstreamCode != null ? upstreamCode : "upstream_error",
                "The upstream of deployment '" + deployment + "' failed during the stream: "
                        + orDefault(message(error, data), "no message") + ".");
    }

    /** A failure to reach or read the upstream. */
    public static ApiException fromFailure(String deployment, Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (isTimeout(failure)) {
            return new ApiException(
                    504, "upstream_timeout", "The upstream of deployment '" + deployment + "' did not answer in time.");
        }
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return new ApiException(
                    502,
                    "upstream_unreachable",
                    "The upstream of deployment '" + deployment + "' cannot be reached: "
                            + failure.getClass().getSimpleName() + ".");
        }
        return new ApiException(
                502,
                "upstream_error",
                "The connection to the upstream of deployment '" + deployment + "' failed: "
                        + orDefault(failure.getMessage(), failure.getClass().getSimpleName()) + ".");
    }

    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
            if (c instanceof IOException
                    && c.getMessage() != null
                    && c.getMessage().contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    private static void copy(Function<String, String> header, String name, Map<String, String> into) {
        String value = header.apply(name);
        if (value != null) {
            into.put(name, value);
        }
    }

    private static JsonNode error(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? null : (node.has("error") ? node.get("error") : node);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The upstream's message: from its parsed {@code error}, else the start of a body that is not JSON. */
    private static String message(JsonNode error, byte[] body) {
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.path("message").isTextual()) {
            return error.get("message").asText();
        }
        if (error == null && body != null && body.length > 0) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.length() > 300 ? text.substring(0, 300) : text;
        }
        return null;
    }

    private static String code(JsonNode error) {
        if (error != null
                && error.path("code").isTextual()
                && !error.get("code").asText().isBlank()) {
            return error.get("code").asText();
        }
        if (error != null && error.path("type").isTextual()) {
            return error.get("type").asText();
        }
        return null;
    }

    /** Whole seconds, rounded up, of a millisecond hint; 1 when there is none or it is not a number. */
    static String seconds(String millis) {
        try {
            long ms = millis == null ? 0 : (long) Math.ceil(Double.parseDouble(millis.trim()));
            return String.valueOf(RetryAfter.seconds(ms));
        } catch (NumberFormatException e) {
            return "1";
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
