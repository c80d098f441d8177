package dev.azinfer.support;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;

/** Shared test requests: the key, the api-version, and validation of answers against the official contract. */
public final class Api {

    public static final String KEY = "test-key-1";
    public static final String SECOND_KEY = "test-key-2";
    public static final String VERSION = "2024-05-01-preview";
    public static final Path SPEC_2024 = Path.of("..", "shared", "spec", "ai-model-inference-2024-05-01-preview.json");
    public static final Path SPEC_2025 = Path.of("..", "shared", "spec", "ai-model-inference-2025-04-01.json");

    private static final OpenApiValidationFilter CONTRACT_2024 = filter(SPEC_2024);
    private static final OpenApiValidationFilter CONTRACT_2025 = filter(SPEC_2025);

    private Api() {}

    /**
     * Validates the response only (requests in tests are often wrong on purpose). The contract does
     * not forbid fields it does not list, and OpenAI clients read {@code object}, so additional
     * properties are allowed, as in the schema itself.
     */
    private static OpenApiValidationFilter filter(Path spec) {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForSpecificationUrl(
                        spec.toUri().toString())
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .withLevel(
                                "validation.response.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        return new OpenApiValidationFilter(validator);
    }

    /** A request with a valid key, validated against the 2024-05-01-preview contract. */
    public static RequestSpecification azure() {
        return given().filter(CONTRACT_2024).header("api-key", KEY).queryParam("api-version", VERSION);
    }

    public static RequestSpecification azure2025() {
        return given().filter(CONTRACT_2025).header("api-key", KEY).queryParam("api-version", "2025-04-01");
    }

    /** A request with a valid key and api-version, not checked against the contract (for other paths). */
    public static RequestSpecification keyed() {
        return given().header("api-key", KEY).queryParam("api-version", VERSION);
    }

    public static RequestSpecification chat(String body) {
        return azure().contentType(ContentType.JSON).body(body);
    }

    /** A streaming request: the contract describes no event streams, so its chunks are checked by {@link Sse}. */
    public static RequestSpecification streamChat(String body) {
        return keyed().contentType(ContentType.JSON).body(body);
    }

    /** The whole answer to a streaming request that must be accepted (200): its events, to read with {@link Sse}. */
    public static String streamed(String body) {
        return streamChat(body)
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    public static String userMessage(String model, String text) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    /**
     * A chat completion as a plain JDK request to the service under test, for tests that read the
     * answer byte by byte, hang up half-way, or send from many threads at once.
     */
    public static java.net.http.HttpRequest rawChat(String body) {
        return rawChat(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    }

    /** A chat completion whose body is sent in chunks, without Content-Length. */
    public static java.net.http.HttpRequest chunkedChat(String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return rawChat(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
    }

    private static java.net.http.HttpRequest rawChat(java.net.http.HttpRequest.BodyPublisher body) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                        + io.restassured.RestAssured.port + "/chat/completions?api-version=" + VERSION))
                .header("api-key", KEY)
                .header("Content-Type", "application/json")
                .POST(body)
                .build();
    }
}
