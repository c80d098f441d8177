package dev.azinfer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The one place that turns an {@link ApiException} into an HTTP answer in the Azure error shape. */
@ApplicationScoped
public class AzureErrors {

    public static final String ERROR_CODE_HEADER = "x-ms-error-code";

    private final ObjectMapper mapper;

    public AzureErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Buffer body(ApiException e) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(ErrorResponse.of(e)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public Map<String, String> headers(ApiException e) {
        var headers = new java.util.LinkedHashMap<String, String>(e.headers());
        headers.put("Content-Type", "application/json");
        headers.put(ERROR_CODE_HEADER, e.code());
        return headers;
    }

    public Response toResponse(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status()).entity(body(e).getBytes());
        headers(e).forEach(builder::header);
        return builder.build();
    }

    /** For answers written below the REST layer (authentication, header limits, unknown paths). */
    public void write(HttpServerResponse response, ApiException e) {
        response.setStatusCode(e.status());
        headers(e).forEach(response::putHeader);
        response.end(body(e));
    }
}
