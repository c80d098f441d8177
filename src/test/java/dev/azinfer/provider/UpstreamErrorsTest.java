package dev.azinfer.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.azinfer.api.ApiException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The upstream outcome table: what clients see for each status and failure. */
class UpstreamErrorsTest {

    @ParameterizedTest(name = "upstream {0} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | {"error":{"message":"bad","code":"invalid_value"}}                 | 400 | invalid_value
            400 | {"error":{"message":"filtered","code":"content_filter"}}           | 400 | content_filter
            400 | {"error":{"message":"bad","type":"invalid_request_error"}}         | 400 | invalid_request_error
            404 | {"error":{"message":"no such model"}}                              | 502 | upstream_not_found
            413 | plain text                                                         | 413 | upstream_bad_request
            422 | {"error":{"message":"unsupported","code":"unsupported_parameter"}} | 422 | unsupported_parameter
            429 | {"error":{"message":"slow down"}}                                  | 429 | too_many_requests
            401 | {"error":{"message":"bad key"}}                                    | 502 | upstream_authentication_failed
            403 | {}                                                                 | 502 | upstream_authentication_failed
            408 | {}                                                                 | 504 | upstream_timeout
            500 | {"error":{"message":"boom"}}                                       | 502 | upstream_error
            502 | <html>bad gateway</html>                                           | 502 | upstream_error
            503 | {"error":{"message":"overloaded"}}                                 | 503 | upstream_unavailable
            504 | {}                                                                 | 504 | upstream_timeout
            """)
    void status_table(int upstream, String body, int expectedStatus, String expectedCode) {
        ApiException e = UpstreamErrors.fromStatus("d", upstream, body.getBytes(StandardCharsets.UTF_8), h -> null);
        assertEquals(expectedStatus, e.status());
        assertEquals(expectedCode, e.code());
    }

    @ParameterizedTest
    @CsvSource({
        "Retry-After,12,Retry-After,12",
        "retry-after-ms,1500,retry-after-ms,1500",
        "retry-after-ms,1500,Retry-After,2",
        "retry-after-ms,30000,Retry-After,30",
        "x-ms-retry-after-ms,250,Retry-After,1",
        "retry-after-ms,soon,Retry-After,1",
        "none,,Retry-After,1"
    })
    void rate_limit_keeps_the_retry_hints(String header, String value, String expectedHeader, String expectedValue) {
        Map<String, String> sent = value == null ? Map.of() : Map.of(header, value);
        ApiException e = UpstreamErrors.fromStatus("d", 429, new byte[0], sent::get);
        assertEquals(expectedValue, e.headers().get(expectedHeader));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"error":{"message":"boom","type":"server_error","code":500}}        | server_error          | boom
            {"error":{"message":"too long","code":"context_length_exceeded"}}  | context_length_exceeded | too long
            {"object":"error","message":"vLLM says no","type":"BadRequestError"} | BadRequestError       | vLLM says no
            {"error":"plain"}                                                    | upstream_error        | plain
            """)
    void error_event_in_a_stream_keeps_the_upstreams_code_and_message(String data, String code, String message) {
        ApiException e = UpstreamErrors.fromStreamEvent("d", data.getBytes(StandardCharsets.UTF_8));
        assertEquals(502, e.status());
        assertEquals(code, e.code());
        assertEquals("The upstream of deployment 'd' failed during the stream: " + message + ".", e.getMessage());
    }

    static Object[][] failures() {
        return new Object[][] {
            {new ConnectException("Connection refused"), 502, "upstream_unreachable"},
            {new UnknownHostException("nowhere"), 502, "upstream_unreachable"},
            {new TimeoutException(), 504, "upstream_timeout"},
            {new RuntimeException("x", new java.net.SocketTimeoutException("timed out")), 504, "upstream_timeout"},
            {new IllegalStateException("Connection was closed"), 502, "upstream_error"},
            {new ApiException(418, "teapot", "kept"), 418, "teapot"}
        };
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failure_table(Throwable failure, int expectedStatus, String expectedCode) {
        ApiException e = UpstreamErrors.fromFailure("d", failure);
        assertEquals(expectedStatus, e.status());
        assertEquals(expectedCode, e.code());
    }
}
