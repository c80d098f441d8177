package dev.azinfer;

import static dev.azinfer.support.Api.chat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests, field by field: each is a 400 in the Azure envelope naming the field, and never reaches a model. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class ChatRequestValidationTest {

    private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":[]}                                                          | messages
            {}                                                                       | messages
            {"messages":"hi"}                                                        | messages
            {"messages":[null]}                                                      | messages[0]
            {"messages":[{"content":"hi"}]}                                          | messages[0].role
            {"messages":[{"role":"king","content":"hi"}]}                            | messages[0].role
            {"messages":[{"role":"user"}]}                                           | messages[0].content
            {"messages":[{"role":"user","content":42}]}                              | messages[0].content
            {"messages":[{"role":"user","content":[]}]}                              | messages[0].content
            {"messages":[{"role":"user","content":[{"type":"video"}]}]}              | messages[0].content[0].type
            {"messages":[{"role":"user","content":[{"type":"text"}]}]}               | messages[0].content[0].text
            {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}  | messages[0].content[0].image_url.url
            {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u","detail":"max"}}]}]} | messages[0].content[0].image_url.detail
            {"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"ogg"}}]}]} | messages[0].content[0].input_audio.format
            {"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"u"}}]}]} | messages[0].content[0].type
            {"messages":[{"role":"tool","content":"42"}]}                            | messages[0].tool_call_id
            {"messages":[{"role":"assistant"}]}                                      | messages[0].content
            {"messages":[{"role":"user","content":"hi","tool_calls":[]}]}            | messages[0].tool_calls
            {"messages":[USER],"temperature":1.5}                                    | temperature
            {"messages":[USER],"temperature":-0.1}                                   | temperature
            {"messages":[USER],"temperature":"hot"}                                  | temperature
            {"messages":[USER],"top_p":2}                                            | top_p
            {"messages":[USER],"frequency_penalty":2.5}                              | frequency_penalty
            {"messages":[USER],"presence_penalty":-3}                                | presence_penalty
            {"messages":[USER],"max_tokens":-1}                                      | max_tokens
            {"messages":[USER],"max_tokens":1.5}                                     | max_tokens
            {"messages":[USER],"max_tokens":"10"}                                    | max_tokens
            {"messages":[USER],"stream":"yes"}                                       | stream
            {"messages":[USER],"stop":[]}                                            | stop
            {"messages":[USER],"stop":[""]}                                          | stop
            {"messages":[USER],"stop":[1]}                                           | stop[0]
            {"messages":[USER],"seed":"x"}                                           | seed
            {"messages":[USER],"tools":[]}                                           | tools
            {"messages":[USER],"tools":[{"type":"retrieval","function":{"name":"f"}}]} | tools[0].type
            {"messages":[USER],"tools":[{"type":"function","function":{"name":"bad name!"}}]} | tools[0].function.name
            {"messages":[USER],"tools":[{"type":"function","function":{"name":"f","parameters":[]}}]} | tools[0].function.parameters
            {"messages":[USER],"tool_choice":"always"}                               | tool_choice
            {"messages":[USER],"tool_choice":"required"}                             | tool_choice
            {"messages":[USER],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}}} | tool_choice.function.name
            {"messages":[USER],"response_format":{"type":"xml"}}                     | response_format.type
            {"messages":[USER],"response_format":{"type":"json_schema"}}             | response_format.json_schema
            {"messages":[USER],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":3}}} | response_format.json_schema.schema
            {"messages":[{"role":"assistant","tool_calls":[{"id":"1","type":"retrieval","function":{"name":"f","arguments":"{}"}}]}]} | messages[0].tool_calls[0].type
            """)
    void invalid_field_is_400_naming_it(String body, String field) {
        chat(body.replace("USER", USER))
                .when()
                .post("/chat/completions")
                .then()
                .statusCode(400)
                .header("x-ms-error-code", equalTo("invalid_parameter"))
                .body("error.code", equalTo("invalid_parameter"))
                .body("error.target", equalTo(field))
                .body("error.message", containsString(field));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json at all            | invalid_request_body
            [1,2,3]                    | invalid_request_body
            {"messages":[              | invalid_request_body
            {"messages":[]} trailing   | invalid_request_body
            """)
    void unreadable_body_is_400(String body, String code) {
        chat(body).when().post("/chat/completions").then().statusCode(400).body("error.code", equalTo(code));
    }
}
