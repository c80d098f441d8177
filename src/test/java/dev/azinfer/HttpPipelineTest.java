package dev.azinfer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class HttpPipelineTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    int port;

    @org.junit.jupiter.api.BeforeEach
    void port() {
        port = root.getPort();
    }

    private static RequestSpecification info() {
        return given().queryParam("api-version", Api.VERSION);
    }

    @Test
    void key_is_accepted_as_api_key_header() {
        info().header("api-key", Api.KEY).when().get("/info").then().statusCode(200);
    }

    @Test
    void key_is_accepted_as_bearer_token() {
        info().header("Authorization", "Bearer " + Api.KEY)
                .when()
                .get("/info")
                .then()
                .statusCode(200);
    }

    @Test
    void key_is_accepted_as_bare_authorization_like_the_azure_java_sdk_sends_it() {
        info().header("Authorization", Api.KEY).when().get("/info").then().statusCode(200);
    }

    @Test
    void every_configured_key_works_so_keys_can_be_rotated() {
        info().header("api-key", Api.SECOND_KEY).when().get("/info").then().statusCode(200);
    }

    @Test
    void one_valid_key_among_two_headers_is_enough() {
        info().header("api-key", Api.KEY)
                .header("Authorization", "Bearer stale")
                .when()
                .get("/info")
                .then()
                .statusCode(200);
    }

    @Test
    void missing_key_is_401_with_azure_error() {
        info().when()
                .get("/info")
                .then()
                .statusCode(401)
                .header("x-ms-error-code", "unauthorized")
                .body("error.code", equalTo("unauthorized"))
                .body("error.message", notNullValue());
    }

    @Test
    void wrong_key_is_401_and_the_key_is_not_echoed() {
        String body = info().header("api-key", "wrong-key-123")
                .when()
                .get("/info")
                .then()
                .statusCode(401)
                .extract()
                .asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("wrong-key-123"));
    }

    @Test
    void every_response_has_a_request_id_and_echoes_the_client_request_id() {
        info().header("api-key", Api.KEY)
                .header("x-ms-client-request-id", "abc-123")
                .when()
                .get("/info")
                .then()
                .statusCode(200)
                .header("apim-request-id", matchesPattern("[0-9a-f-]{36}"))
                .header("x-ms-client-request-id", "abc-123");
        info().header("x-ms-client-request-id", "on-error-too")
                .when()
                .get("/info")
                .then()
                .statusCode(401)
                .header("x-ms-client-request-id", "on-error-too")
                .header("apim-request-id", notNullValue());
    }

    @Test
    void custom_headers_are_returned() {
        info().header("api-key", Api.KEY)
                .header("x-trace-me", "42")
                .header("x-tenant", "contoso")
                .when()
                .get("/info")
                .then()
                .statusCode(200)
                .header("x-trace-me", "42")
                .header("x-tenant", "contoso");
    }

    @Test
    void ten_custom_headers_pass_and_eleven_are_431() {
        RequestSpecification ten = info().header("api-key", Api.KEY);
        for (int i = 0; i < 10; i++) {
            ten.header("x-custom-" + i, "v");
        }
        ten.when().get("/info").then().statusCode(200);
        RequestSpecification eleven = info().header("api-key", Api.KEY);
        for (int i = 0; i < 11; i++) {
            eleven.header("x-custom-" + i, "v");
        }
        eleven.when()
                .get("/info")
                .then()
                .statusCode(431)
                .header("x-ms-error-code", "too_many_custom_headers")
                .body("error.code", equalTo("too_many_custom_headers"));
    }

    @Test
    void sdk_telemetry_headers_do_not_count_as_custom() {
        RequestSpecification request = info().header("api-key", Api.KEY)
                .header("x-ms-client-request-id", "id")
                .header("x-ms-useragent", "azsdk");
        for (String h : new String[] {
            "lang",
            "package-version",
            "os",
            "arch",
            "runtime",
            "runtime-version",
            "kotlin-version",
            "retry-count",
            "timeout",
            "read-timeout",
            "os-version"
        }) {
            request.header("x-stainless-" + h, "x");
        }
        for (int i = 0; i < 10; i++) {
            request.header("x-custom-" + i, "v");
        }
        request.when().get("/info").then().statusCode(200).header("x-stainless-lang", nullValue());
    }

    @Test
    void platform_headers_of_logic_apps_and_app_service_do_not_count_as_custom() {
        RequestSpecification request = info().header("api-key", Api.KEY);
        for (String h : new String[] {
            "x-ms-workflow-name",
            "x-ms-workflow-run-id",
            "x-ms-workflow-id",
            "x-ms-workflow-version",
            "x-ms-workflow-subscription-id",
            "x-ms-workflow-resourcegroup-name",
            "x-ms-tracking-id",
            "x-ms-correlation-id",
            "x-ms-client-tracking-id",
            "x-ms-action-tracking-id",
            "x-ms-execution-location",
            "x-arr-log-id",
            "x-original-url"
        }) {
            request.header(h, "v");
        }
        for (int i = 0; i < 10; i++) {
            request.header("x-custom-" + i, "v");
        }
        request.when().get("/info").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/../info", "/q/%2e%2e/info", "/q/./../info"})
    void dot_segments_do_not_skip_the_key_check(String path) throws Exception {
        // sent as written: HTTP clients would normalize the path before sending it
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream()
                    .write(("GET " + path
                                    + "?api-version=2024-05-01-preview HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine =
                    new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
            org.junit.jupiter.api.Assertions.assertTrue(
                    statusLine.contains(" 401 ") || statusLine.contains(" 400 ") || statusLine.contains(" 404 "),
                    path + " -> " + statusLine);
        }
    }

    @Test
    void requests_refused_before_routing_do_not_make_a_metrics_series_per_path() {
        for (int i = 0; i < 5; i++) {
            given().get("/scanned-" + i + "/wp-login.php").then().statusCode(401);
        }
        given().header("api-key", "wrong")
                .get("/deployments/scanned-deployment")
                .then()
                .statusCode(401);
        // refused before the key is looked at: too many custom headers (431), a body too large (413)
        RequestSpecification headers = given();
        for (int i = 0; i < 11; i++) {
            headers = headers.header("x-scan-" + i, "v");
        }
        headers.get("/scanned-headers").then().statusCode(431);
        given().contentType(ContentType.JSON)
                .body("x".repeat(4_200_000))
                .post("/scanned-size")
                .then()
                .statusCode(413);
        info().header("api-key", Api.KEY).when().get("/info").then().statusCode(200);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("scanned-"), metrics);
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                                && l.contains("status=\"401\"")
                                && l.contains("uri=\"/{unmatched}\"")),
                () -> "refusals are labelled /{unmatched}: "
                        + metrics.lines()
                                .filter(l -> l.startsWith("http_server_requests_seconds_count{"))
                                .toList());
        // a request a resource matched keeps its template
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                                && l.contains("status=\"200\"")
                                && l.contains("uri=\"/info\"")),
                "answered requests keep their path template");
    }

    @Test
    void unknown_path_is_404_with_azure_error() {
        info().header("api-key", Api.KEY)
                .when()
                .get("/no/such/path")
                .then()
                .statusCode(404)
                .header("x-ms-error-code", "not_found")
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void wrong_method_is_405_with_azure_error() {
        info().header("api-key", Api.KEY)
                .when()
                .delete("/info")
                .then()
                .statusCode(405)
                .body("error.code", equalTo("method_not_allowed"));
    }

    @Test
    void non_json_body_is_415_with_azure_error() {
        info().header("api-key", Api.KEY)
                .contentType(ContentType.TEXT)
                .body("hello")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"));
    }

    @Test
    void body_over_the_limit_is_413_with_azure_error() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(4_200_000) + "\"}]}";
        info().header("api-key", Api.KEY)
                .contentType(ContentType.JSON)
                .body(big)
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(413)
                .header("x-ms-error-code", "request_too_large")
                .body("error.code", equalTo("request_too_large"));
    }

    @Test
    void chunked_body_over_the_limit_is_413_with_azure_error() throws Exception {
        // no Content-Length: the limit is found while the body is read, not from the header
        HttpResponse<String> response = sendHttp11(
                Api.chunkedChat("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(4_200_000) + "\"}]}"));
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                "request_too_large",
                response.headers().firstValue("x-ms-error-code").orElse(null));
        assertEquals(
                "request_too_large",
                new ObjectMapper().readTree(response.body()).at("/error/code").asText());
    }

    @Test
    void chunked_body_within_the_limit_is_answered() throws Exception {
        HttpResponse<String> response = sendHttp11(Api.chunkedChat(Api.userMessage("gpt-fake", "hello")));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "stop",
                new ObjectMapper()
                        .readTree(response.body())
                        .at("/choices/0/finish_reason")
                        .asText());
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/", tls = true)
    java.net.URL https;

    @Test
    void http2_body_without_content_length_is_answered() throws Exception {
        byte[] body = Api.userMessage("gpt-fake", "hello").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        https.toURI().resolve("chat/completions?api-version=" + Api.VERSION))
                .header("api-key", Api.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(dev.azinfer.support.TestTls.sslContext())
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(200, response.statusCode(), response.body());
    }

    /** HTTP/1.1, where a body without Content-Length is sent chunked. */
    private static HttpResponse<String> sendHttp11(HttpRequest request) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openapi_document_needs_no_key() {
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
