package dev.azinfer.connector;

import static dev.azinfer.support.FakeUpstreamResource.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.azinfer.support.Api;
import dev.azinfer.support.ConnectorEmulator;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.JsonFiles;
import dev.azinfer.support.TestTls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connector files driven as Power Platform drives them, against the running service. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
@TestProfile(ConnectorRuntimeTest.Throttled.class)
class ConnectorRuntimeTest {

    /** The default throttling, scaled down so a test can reach it: 30 calls per key per minute. */
    public static class Throttled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("azinfer.throttle.calls", "30", "azinfer.throttle.period", "60s");
        }
    }

    @TestHTTPResource("/")
    URL http;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private static final JsonNode DEFINITION = JsonFiles.read(GeneratedFilesTest.DEFINITION);
    private static final JsonNode PROPERTIES = JsonFiles.read(GeneratedFilesTest.PROPERTIES);

    private ConnectorEmulator connection(String endpoint, String key) {
        HttpClient client =
                HttpClient.newBuilder().sslContext(TestTls.sslContext()).build();
        return new ConnectorEmulator(DEFINITION, PROPERTIES, Map.of("endpoint", endpoint, "api_key", key), client);
    }

    private String base(URL url) {
        return url.toString().replaceAll("/$", "");
    }

    @Test
    void get_model_info_over_https() throws Exception {
        var result = connection(base(https), Api.KEY).call("GetModelInfo", Map.of(), null);
        assertEquals(200, result.status());
        assertEquals(java.util.Set.of(), connection(base(https), Api.KEY).checkResponse("GetModelInfo", result.body()));
        assertEquals("stories260K", result.body().get("model_name").asText());
    }

    @Test
    void endpoint_url_with_models_path_works_too() throws Exception {
        var result =
                connection(base(http) + "/models", Api.KEY).call("GetModelInfo", Map.of("model", "azure-ai"), null);
        assertEquals(200, result.status());
        assertEquals("Phi-4", result.body().get("model_name").asText());
    }

    @Test
    void endpoint_url_typed_with_a_trailing_slash_works() throws Exception {
        assertEquals(
                200,
                connection(base(http) + "/", Api.KEY)
                        .call("GetModelInfo", Map.of(), null)
                        .status());
        assertEquals(
                200,
                connection(base(http) + "/models/", Api.KEY)
                        .call("ListDeployments", Map.of(), null)
                        .status());
    }

    @Test
    void list_deployments_feeds_the_model_drop_down() throws Exception {
        ConnectorEmulator c = connection(base(http), Api.KEY);
        var result = c.call("ListDeployments", Map.of(), null);
        assertEquals(200, result.status());
        assertEquals(java.util.Set.of(), c.checkResponse("ListDeployments", result.body()));
        JsonNode dynamic = DEFINITION.at("/definitions/ChatCompletionsOptions/properties/model/x-ms-dynamic-values");
        java.util.List<String> names = new java.util.ArrayList<>();
        result.body()
                .get(dynamic.get("value-collection").asText())
                .forEach(
                        d -> names.add(d.get(dynamic.get("value-path").asText()).asText()));
        assertTrue(names.contains("tiny-stories") && names.contains("gpt-fake"), names.toString());
    }

    @Test
    void chat_completion_on_the_tiny_model_conforms_to_the_definition() throws Exception {
        ConnectorEmulator c = connection(base(http), Api.KEY);
        ObjectNode body = (ObjectNode)
                JsonFiles.parse(
                        "{\"model\":\"tiny-stories\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}");
        var result = c.call("GetChatCompletions", Map.of(), body);
        assertEquals(200, result.status(), result.raw().body());
        assertEquals(java.util.Set.of(), c.checkResponse("GetChatCompletions", result.body()));
        assertFalse(result.body().at("/choices/0/message/content").asText().isBlank());
        assertEquals("length", result.body().at("/choices/0/finish_reason").asText());
        assertEquals(20, result.body().at("/usage/completion_tokens").asInt());
    }

    @Test
    void the_defaults_the_designer_fills_reach_the_model() throws Exception {
        upstream().clear();
        ObjectNode body = (ObjectNode)
                JsonFiles.parse("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        var result = connection(base(http), Api.KEY).call("GetChatCompletions", Map.of(), body);
        assertEquals(200, result.status());
        JsonNode sent = upstream().last().body();
        assertEquals(0.7, sent.get("temperature").asDouble());
        assertEquals(1.0, sent.get("top_p").asDouble());
        assertEquals(0.0, sent.get("frequency_penalty").asDouble());
        assertEquals(0.0, sent.get("presence_penalty").asDouble());
    }

    @Test
    void tool_call_answer_conforms_to_the_definition() throws Exception {
        ConnectorEmulator c = connection(base(http), Api.KEY);
        ObjectNode body = (ObjectNode)
                JsonFiles.parse(
                        "{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"#tool\"}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\",\"parameters\":{\"type\":\"object\"}}}]}");
        var result = c.call("GetChatCompletions", Map.of(), body);
        assertEquals(200, result.status());
        assertEquals(java.util.Set.of(), c.checkResponse("GetChatCompletions", result.body()));
        assertEquals(
                "get_current_weather",
                result.body()
                        .at("/choices/0/message/tool_calls/0/function/name")
                        .asText());
    }

    @Test
    void the_response_check_rejects_an_answer_that_breaks_the_definition() {
        ConnectorEmulator c = connection(base(http), Api.KEY);
        assertFalse(c.checkResponse("GetChatCompletions", JsonFiles.parse("{\"id\":\"x\",\"choices\":\"none\"}"))
                .isEmpty());
        assertFalse(c.checkResponse("GetModelInfo", JsonFiles.parse("{\"model_name\":\"m\"}"))
                .isEmpty());
    }

    @Test
    void bad_key_is_401_with_an_azure_error() throws Exception {
        var result = connection(base(http), "not-a-key").call("GetModelInfo", Map.of(), null);
        assertEquals(401, result.status());
        assertEquals("unauthorized", result.body().at("/error/code").asText());
    }

    @Test
    void unknown_model_is_404() throws Exception {
        ObjectNode body = (ObjectNode)
                JsonFiles.parse("{\"model\":\"gpt-404\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var result = connection(base(http), Api.KEY).call("GetChatCompletions", Map.of(), body);
        assertEquals(404, result.status());
        assertEquals("unknown_model", result.body().at("/error/code").asText());
    }

    @Test
    void out_of_range_temperature_is_400_naming_it() throws Exception {
        ObjectNode body = (ObjectNode)
                JsonFiles.parse(
                        "{\"model\":\"tiny-stories\",\"temperature\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var result = connection(base(http), Api.KEY).call("GetChatCompletions", Map.of(), body);
        assertEquals(400, result.status());
        assertEquals("temperature", result.body().at("/error/target").asText());
    }

    @Test
    void a_connection_past_its_calls_per_minute_is_throttled_with_retry_after() throws Exception {
        ConnectorEmulator c = connection(base(http), Api.SECOND_KEY);
        int ok = 0;
        ConnectorEmulator.Result last = null;
        for (int i = 0; i < 31; i++) {
            last = c.call("GetModelInfo", Map.of(), null);
            if (last.status() == 200) {
                ok++;
            }
        }
        assertEquals(30, ok);
        assertEquals(429, last.status());
        assertEquals("too_many_requests", last.body().at("/error/code").asText());
        assertNotNull(last.raw().headers().firstValue("Retry-After").orElse(null));
        assertTrue(
                Integer.parseInt(last.raw().headers().firstValue("Retry-After").orElseThrow()) <= 60);
        // other connections (keys) are not affected
        assertEquals(
                200,
                connection(base(http), Api.KEY)
                        .call("GetModelInfo", Map.of(), null)
                        .status());
    }
}
