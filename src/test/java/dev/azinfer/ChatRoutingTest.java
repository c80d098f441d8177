package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static dev.azinfer.support.Api.userMessage;
import static dev.azinfer.support.FakeUpstreamResource.upstream;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which deployment answers, what reaches it (defaults, extra parameters), and what it may not be asked. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class ChatRoutingTest {

    @BeforeEach
    void clear() {
        upstream().clear();
    }

    @Test
    void documented_defaults_are_filled_in_before_the_request_goes_upstream() {
        chat(userMessage("gpt-fake", "hello"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        JsonNode sent = upstream().last().body();
        assertEquals(0.7, sent.get("temperature").asDouble());
        assertEquals(1.0, sent.get("top_p").asDouble());
        assertEquals(0.0, sent.get("frequency_penalty").asDouble());
        assertEquals(0.0, sent.get("presence_penalty").asDouble());
        assertEquals("fake-model", sent.get("model").asText());
        assertFalse(sent.has("stream"));
    }

    @Test
    void given_values_are_forwarded_unchanged() {
        chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2,\"top_p\":0.5,"
                        + "\"max_tokens\":12,\"stop\":[\"END\"],\"seed\":7,\"response_format\":{\"type\":\"json_object\"}}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        JsonNode sent = upstream().last().body();
        assertEquals(0.2, sent.get("temperature").asDouble());
        assertEquals(0.5, sent.get("top_p").asDouble());
        assertEquals(12, sent.get("max_tokens").asInt());
        assertEquals("END", sent.get("stop").get(0).asText());
        assertEquals(7, sent.get("seed").asInt());
        assertEquals("json_object", sent.get("response_format").get("type").asText());
    }

    @Test
    void upstream_gets_its_own_credential_not_the_clients() {
        chat(userMessage("gpt-fake", "hello"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        assertEquals("Bearer upstream-secret", upstream().last().headers().get("Authorization"));
        assertEquals("/v1/chat/completions", upstream().last().path());
    }

    /** Sends the body with the deployment header and expects the answer of the fake upstream's model. */
    private static void servedByHeaderDeployment(String header, String body) {
        Api.azure()
                .header("azureml-model-deployment", header)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("model", equalTo("gpt-4.1-2025-04-14"));
        assertEquals(1, upstream().received().size());
    }

    @Test
    void deployment_is_chosen_by_header_when_the_body_names_none() {
        servedByHeaderDeployment("GPT-FAKE", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void an_empty_model_names_no_deployment() {
        // a designer's blank field, or an expression that evaluates to "": the header's deployment
        servedByHeaderDeployment("gpt-fake", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        // and without the header, the default deployment
        chat("{\"model\":\" \",\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}],\"max_tokens\":3}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("model", equalTo("stories260K"));
    }

    @Test
    void request_naming_no_deployment_goes_to_the_default() {
        chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}],\"max_tokens\":3}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("model", equalTo("stories260K"));
        assertEquals(0, upstream().received().size());
    }

    @Test
    void unknown_deployment_is_404_unknown_model() {
        chat(userMessage("gpt-99", "hi"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("unknown_model"))
                .body("error.message", containsString("gpt-99"));
    }

    @Test
    void unknown_field_is_400_by_default_naming_it() {
        chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{},\"foo\":1}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("extra_parameters_not_allowed"))
                .body("error.message", containsString("logit_bias"))
                .body("error.message", containsString("foo"));
        assertEquals(0, upstream().received().size());
    }

    @Test
    void extra_parameters_drop_removes_unknown_fields() {
        chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"foo\":1}")
                .header("extra-parameters", "drop")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        assertFalse(upstream().last().body().has("foo"));
    }

    @Test
    void extra_parameters_pass_through_forwards_unknown_fields() {
        chat("{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"foo\":{\"bar\":[1,2]},\"logprobs\":true}")
                .header("extra-parameters", "pass-through")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200);
        JsonNode sent = upstream().last().body();
        assertEquals(2, sent.get("foo").get("bar").get(1).asInt());
        assertTrue(sent.get("logprobs").asBoolean());
    }

    @Test
    void other_extra_parameters_value_is_400() {
        chat(userMessage("gpt-fake", "hi"))
                .header("extra-parameters", "ignore")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_header"))
                .body("error.target", equalTo("extra-parameters"));
    }

    @Test
    void defaults_are_not_sent_for_parameters_the_model_refuses() {
        JsonNode sent = forwarded(
                "{\"model\":\"o-series\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":null,\"temperature\":null}");
        assertFalse(sent.has("temperature"));
        assertFalse(sent.has("top_p"));
        assertFalse(sent.has("tool_choice"), "a null field is a field not given");
        assertEquals(0.0, sent.get("frequency_penalty").asDouble());
    }

    @Test
    void documented_defaults_sent_by_a_designer_do_not_fail_on_a_model_that_refuses_them() {
        JsonNode sent = forwarded(
                "{\"model\":\"o-series\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.7,\"top_p\":1}");
        assertFalse(sent.has("temperature"));
        assertFalse(sent.has("top_p"));
        chat("{\"model\":\"o-series\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.target", equalTo("temperature"));
    }

    @Test
    void max_tokens_reaches_a_reasoning_model_as_max_completion_tokens() {
        // OpenAI's o-series and gpt-5 refuse max_tokens; the client's code stays the same for every model
        JsonNode sent = forwarded(
                "{\"model\":\"o-series\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":50}");
        assertFalse(sent.has("max_tokens"));
        assertEquals(50, sent.get("max_completion_tokens").asInt());
        sent = forwarded(
                "{\"model\":\"gpt-fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":50}");
        assertEquals(50, sent.get("max_tokens").asInt());
    }

    /** Sends a chat that must be answered, and returns the body the upstream received for it. */
    private static JsonNode forwarded(String body) {
        chat(body).when().post("/chat/completions").then().statusCode(200);
        return upstream().last().body();
    }

    @Test
    void text_that_looks_like_special_tokens_is_counted_as_text() {
        chat(userMessage("gpt-fake", "#nousage <|endoftext|> <|im_start|>"))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(200)
                .body("usage.prompt_tokens", org.hamcrest.Matchers.greaterThan(10));
    }

    @Test
    void extra_fields_the_in_process_model_cannot_take_are_422() {
        chat("{\"model\":\"tiny-stories\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"mirostat\":2}")
                .header("extra-parameters", "pass-through")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.target", equalTo("mirostat"));
    }

    @Test
    void parameter_the_model_does_not_support_is_422_naming_it() {
        chat("{\"model\":\"no-tools\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .header("x-ms-error-code", "parameter_not_supported")
                // refused before admission, yet an answer of the deployment: it says what remains of its limits
                .header("x-ratelimit-remaining-requests", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .header("x-ratelimit-remaining-tokens", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .body("error.code", equalTo("parameter_not_supported"))
                .body("error.target", equalTo("tools"));
        chat("{\"model\":\"no-tools\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}")
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(422)
                .body("error.target", equalTo("image_url"));
        assertEquals(0, upstream().received().size());
    }

    @Test
    void multimodal_tools_and_history_are_forwarded_to_upstreams_that_support_them() {
        String body = """
                {"model":"gpt-fake","messages":[
                  {"role":"system","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}},
                                            {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"look","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"a cat"}],
                 "tools":[{"type":"function","function":{"name":"look","description":"d","parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":{"type":"function","function":{"name":"look"}}}
                """;
        chat(body).when().post("/chat/completions").then().statusCode(200);
        JsonNode sent = upstream().last().body();
        assertEquals("low", sent.at("/messages/1/content/1/image_url/detail").asText());
        assertEquals("wav", sent.at("/messages/1/content/2/input_audio/format").asText());
        assertEquals("call_1", sent.at("/messages/2/tool_calls/0/id").asText());
        assertEquals("call_1", sent.at("/messages/3/tool_call_id").asText());
        assertEquals("look", sent.at("/tool_choice/function/name").asText());
        assertEquals("object", sent.at("/tools/0/function/parameters/type").asText());
    }
}
