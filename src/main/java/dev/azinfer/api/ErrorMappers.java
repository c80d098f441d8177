package dev.azinfer.api;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every exception that leaves a resource to the Azure error envelope; no stack trace reaches a client. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final AzureErrors errors;

    public ErrorMappers(AzureErrors errors) {
        this.errors = errors;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return errors.toResponse(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return errors.toResponse(fromWebException(e));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure while serving a request", e);
        return errors.toResponse(new ApiException(500, "internal_error", "The service failed unexpectedly."));
    }

    static ApiException fromWebException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException) {
            return new ApiException(404, "not_found", "The requested path does not exist.");
        }
        if (e instanceof NotAllowedException) {
            return new ApiException(405, "method_not_allowed", "The HTTP method is not allowed on this path.");
        }
        if (e instanceof NotSupportedException) {
            return new ApiException(
                    415, "unsupported_media_type", "The request body must be JSON (Content-Type: application/json).");
        }
        if (e instanceof NotAcceptableException) {
            return new ApiException(
                    406, "not_acceptable", "The service answers in application/json or text/event-stream only.");
        }
        if (status == 413) {
            return new ApiException(413, "request_too_large", "The request body is larger than the service accepts.");
        }
        return new ApiException(
                status,
                status >= 500 ? "internal_error" : "bad_request",
                status >= 500 ? "The service failed unexpectedly." : "The request could not be processed.");
    }
}
