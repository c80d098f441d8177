package dev.azinfer.api;

import dev.azinfer.config.ServiceConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every request goes through before the REST layer: a request id, the echo of
 * {@code x-ms-client-request-id} and custom headers, the custom header limit, the body size limit
 * and authentication. Answers given here use the same Azure error envelope as the resources.
 */
@ApplicationScoped
public class HttpPipeline {

    /** Routing-context key of the short id of the admin key a management request presented. */
    public static final String ADMIN_KEY_ID = "azinfer.admin-key-id";

    /** Routing-context key of the short id of the inference key a request presented. */
    public static final String KEY_ID = "azinfer.key-id";

    public static final String REQUEST_ID = "apim-request-id";
    /** The {@code uri} of requests no resource matched, in the HTTP metrics: a template no request can match. */
    static final String UNMATCHED = "/{unmatched}";
    /** The context local Quarkus's HTTP metrics take a request's {@code uri} from. */
    private static final String URL_TEMPLATE = "UrlPathTemplate";

    public static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";

    /**
     * Headers that clients and platforms send on every call; they are not custom headers
     * (domain.md). OpenAI SDKs send x-stainless-*; Azure SDKs, Logic Apps and Power Platform send
     * x-ms-* (x-ms-client-request-id, x-ms-workflow-*, x-ms-tracking-id, ...); proxies and Azure
     * App Service add forwarding and x-arr-* headers.
     */
    private static final List<String> NOT_CUSTOM_PREFIXES =
            List.of("x-stainless-", "x-ms-", "x-forwarded-", "x-arr-", "x-appservice-", "x-waws-", "x-original-");

    private static final List<String> NOT_CUSTOM =
            List.of("x-request-id", "x-real-ip", "x-client-ip", "x-client-port", "x-site-deployment-id");

    private final ServiceConfig config;
    private final ApiKeys keys;
    private final AzureErrors errors;
    private final KeyThrottle throttle;

    /**
     * Reads a body sent chunked (HTTP/1.1 without Content-Length) before the REST layer, so one over
     * the limit fails here, with the Azure error; the REST layer would answer it with a bare 413.
     * Not on HTTP/2: the REST layer pauses the request it is given, and HTTP/2 refuses to pause a
     * request whose body was read (500).
     */
    private final BodyHandler unsizedBodies;

    public HttpPipeline(ServiceConfig config, ApiKeys keys, AzureErrors errors, KeyThrottle throttle) {
        this.config = config;
        this.keys = keys;
        this.errors = errors;
        this.throttle = throttle;
        this.unsizedBodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(this::handle).failureHandler(this::failed);
        // The REST layer passes requests it has no resource for down the chain; they end here.
        router.route()
                .last()
                .handler(ctx -> errors.write(
                        ctx.response(), new ApiException(404, "not_found", "The requested path does not exist.")));
        router.errorHandler(413, ctx -> errors.write(ctx.response(), tooLarge()));
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        MultiMap out = ctx.response().headers();
        out.set(REQUEST_ID, RequestIds.uuid());
        String length = request.getHeader("Content-Length");
        String clientRequestId = request.getHeader(CLIENT_REQUEST_ID);
        if (clientRequestId != null) {
            out.set(CLIENT_REQUEST_ID, clientRequestId);
        }
        // the path as routing sees it: /q/../chat/completions must not pass as a /q/ path
        String path = ctx.normalizedPath();
        boolean keyed = needsKey(path);
        if (keyed) {
            unmatched(ctx);
        }
        try {
            echoCustomHeaders(request, out);
            checkSize(length);
            if (isManagement(path)) {
                // it names who changed a deployment
                ctx.put(ADMIN_KEY_ID, keyId(authenticateAdmin(request)));
            } else if (keyed) {
                String key = authenticate(request);
                // the ledger's key id
                ctx.put(KEY_ID, keyId(key));
                throttle.admit(key);
            }
        } catch (ApiException refused) {
            errors.write(ctx.response(), refused);
            return;
        }
        if (length == null && hasBody(request)) {
            unsizedBodies.handle(ctx); // it calls next() once the body is read, or fails with 413
            return;
        }
        ctx.next();
    }

    /**
     * Labels the request's HTTP metrics {@value #UNMATCHED} until a resource matches it and puts its
     * path template there instead. Refused here (401, 403, 413, 429, 431) or dropped by its client
     * before routing, a request would otherwise be labelled with the path as sent: a scanner's
     * every path its own series, until Micrometer's cap on {@code uri} values (100) drops every new
     * one, real endpoints included.
     */
    private static void unmatched(RoutingContext ctx) {
        // where Quarkus's HTTP metrics read the template that the REST layer writes on a match
        ((io.vertx.core.http.impl.HttpServerRequestInternal) ctx.request())
                .context()
                .putLocal(URL_TEMPLATE, UNMATCHED);
    }

    /** A request that failed on its way (its body could not be read): the Azure error, or nothing for a client gone. */
    private void failed(RoutingContext ctx) {
        if (ctx.response().closed()
                && (ctx.failure() == null
                        || ctx.failure() instanceof java.io.IOException
                        || ctx.failure() instanceof io.vertx.core.VertxException)) {
            return; // the client left, mid-upload: no one to answer, nothing to log
        }
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || status < 400 || status >= 500) {
            ctx.next();
        } else if (status == 413) {
            errors.write(ctx.response(), tooLarge());
        } else {
            errors.write(ctx.response(), new ApiException(status, "bad_request", "The request could not be read."));
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2
                && !request.isEnded()
                && switch (request.method().name()) {
                    case "POST", "PUT", "PATCH" -> true;
                    default -> false;
                };
    }

    private void echoCustomHeaders(HttpServerRequest request, MultiMap out) {
        List<Map.Entry<String, String>> custom = customHeaders(request.headers());
        if (custom.size() > config.maxCustomHeaders()) {
            throw new ApiException(
                    431,
                    "too_many_custom_headers",
                    "The request carries " + custom.size() + " custom headers; at most " + config.maxCustomHeaders()
                            + " are allowed.");
        }
        custom.forEach(h -> out.add(h.getKey(), h.getValue()));
    }

    private void checkSize(String length) {
        if (length != null && isLarger(length, config.maxBodyBytes())) {
            throw tooLarge();
        }
    }

    /** The management API takes admin keys only; an inference key there is 403, so the operator sees which key is wrong. */
    private String authenticateAdmin(HttpServerRequest request) {
        List<String> presented = presentedKeys(request);
        String matched = keys.matchAdmin(presented);
        if (matched != null) {
            return matched;
        }
        if (keys.match(presented) != null) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "This is the management API: it takes an admin key (azinfer.admin-keys), not an inference key.");
        }
        throw unauthorized();
    }

    /** The digest of the key the request presents; 401 when it presents none that is configured. */
    private String authenticate(HttpServerRequest request) {
        String key = keys.match(presentedKeys(request));
        if (key == null) {
            throw unauthorized();
        }
        return key;
    }

    /** A short id of a key: a prefix of its digest, never the key. */
    private static String keyId(String digest) {
        return digest.substring(0, 12);
    }

    private static ApiException unauthorized() {
        return new ApiException(
                401,
                "unauthorized",
                "Access denied: the API key is missing or not valid. Send it as 'api-key: KEY' or 'Authorization: Bearer KEY'.",
                null,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    /** The management API: the model catalog and deployments, also under their full ARM path. */
    static boolean isManagement(String path) {
        return path.equals("/models")
                || path.equals("/deployments")
                || path.startsWith("/deployments/")
                || path.startsWith("/subscriptions/")
                || path.equals("/usage")
                || path.equals("/spending-limit");
    }

    private ApiException tooLarge() {
        return new ApiException(
                413,
                "request_too_large",
                "The request body is larger than the " + config.maxBodyBytes() + " bytes the service accepts.");
    }

    static boolean needsKey(String path) {
        return !(path.equals("/q") || path.startsWith("/q/"));
    }

    static List<String> presentedKeys(HttpServerRequest request) {
        List<String> candidates = new ArrayList<>(2);
        String apiKey = request.getHeader("api-key");
        if (apiKey != null) {
            candidates.add(apiKey.trim());
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String value = authorization.trim();
            // The Azure Java SDK sends the bare key; everyone else sends a Bearer token.
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                value = value.substring(7).trim();
            }
            candidates.add(value);
        }
        return candidates;
    }

    static List<Map.Entry<String, String>> customHeaders(MultiMap headers) {
        List<Map.Entry<String, String>> custom = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-")
                    && !NOT_CUSTOM.contains(name)
                    && NOT_CUSTOM_PREFIXES.stream().noneMatch(name::startsWith)) {
                custom.add(h);
            }
        }
        return custom;
    }

    private static boolean isLarger(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
