package dev.azinfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.ai.inference.ChatCompletionsClient;
import com.azure.ai.inference.ChatCompletionsClientBuilder;
import com.azure.ai.inference.models.ChatCompletions;
import com.azure.ai.inference.models.ChatCompletionsFunctionToolDefinition;
import com.azure.ai.inference.models.ChatCompletionsOptions;
import com.azure.ai.inference.models.ChatCompletionsToolChoicePreset;
import com.azure.ai.inference.models.ChatRequestSystemMessage;
import com.azure.ai.inference.models.ChatRequestUserMessage;
import com.azure.ai.inference.models.CompletionsFinishReason;
import com.azure.ai.inference.models.FunctionDefinition;
import com.azure.ai.inference.models.ModelInfo;
import com.azure.ai.inference.models.StreamingChatCompletionsUpdate;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.IterableStream;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import dev.azinfer.support.TestTls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Azure AI Inference SDK (1.0.0-beta.5) against the running service over HTTPS with a key. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class AzureSdkClientTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private ChatCompletionsClient client(String key, String path) {
        HttpClient http = new JdkHttpClientBuilder(
                        java.net.http.HttpClient.newBuilder().sslContext(TestTls.sslContext()))
                .build();
        return new ChatCompletionsClientBuilder()
                .endpoint(https.toString().replaceAll("/$", "") + path)
                .credential(new AzureKeyCredential(key))
                .httpClient(http)
                .buildClient();
    }

    @Test
    void model_info() {
        ModelInfo info = client(Api.KEY, "").getModelInfo();
        assertEquals("stories260K", info.getModelName());
        assertEquals("text_generation", info.getModelType().toString());
        assertEquals("TinyLlamas (llama.cpp)", info.getModelProviderName());
    }

    @Test
    void completion_from_the_embedded_model_under_the_models_path() {
        ChatCompletionsOptions options =
                new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("Once upon a time")));
        options.setModel("tiny-stories").setMaxTokens(12).setSeed(3L);
        ChatCompletions answer = client(Api.KEY, "/models").complete(options);
        assertFalse(answer.getChoice().getMessage().getContent().isBlank());
        assertEquals(
                CompletionsFinishReason.TOKEN_LIMIT_REACHED, answer.getChoice().getFinishReason());
        assertEquals(12, answer.getUsage().getCompletionTokens());
        assertTrue(answer.getCreated().getYear() >= 2025);
    }

    @Test
    void streaming_completion() {
        ChatCompletionsOptions options = new ChatCompletionsOptions(
                List.of(new ChatRequestSystemMessage("Tell a story."), new ChatRequestUserMessage("Once upon a time")));
        options.setModel("tiny-stories").setMaxTokens(15).setSeed(3L);
        IterableStream<StreamingChatCompletionsUpdate> updates =
                client(Api.KEY, "").completeStream(options);
        StringBuilder text = new StringBuilder();
        int[] count = new int[1];
        int[] usage = new int[1];
        updates.forEach(u -> {
            count[0]++;
            if (!u.getChoices().isEmpty() && u.getChoice().getDelta().getContent() != null) {
                text.append(u.getChoice().getDelta().getContent());
            }
            if (u.getUsage() != null) {
                usage[0] = u.getUsage().getCompletionTokens();
            }
        });
        assertTrue(count[0] >= 15);
        assertFalse(text.toString().isBlank());
        assertEquals(15, usage[0]);
    }

    @Test
    void tool_call() {
        ChatCompletionsOptions options =
                new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("#tool weather in Boston?")));
        options.setModel("gpt-fake");
        options.setTools(List.of(new ChatCompletionsFunctionToolDefinition(new FunctionDefinition("get_current_weather")
                .setDescription("Current weather")
                .setParameters(BinaryData.fromString(
                        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}")))));
        options.setToolChoice(BinaryData.fromObject(ChatCompletionsToolChoicePreset.AUTO));
        ChatCompletions answer = client(Api.KEY, "").complete(options);
        assertEquals(CompletionsFinishReason.TOOL_CALLS, answer.getChoice().getFinishReason());
        var call = answer.getChoice().getMessage().getToolCalls().get(0);
        assertEquals("call_abc123", call.getId());
        assertEquals("get_current_weather", call.getFunction().getName());
        assertTrue(call.getFunction().getArguments().contains("Boston"));
    }

    @Test
    void streamed_tool_call() {
        ChatCompletionsOptions options = new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("#tool")));
        options.setModel("gpt-fake");
        options.setTools(List.of(new ChatCompletionsFunctionToolDefinition(new FunctionDefinition("get_current_weather")
                .setParameters(BinaryData.fromString("{\"type\":\"object\"}")))));
        StringBuilder args = new StringBuilder();
        String[] name = new String[1];
        client(Api.KEY, "").completeStream(options).forEach(u -> {
            if (!u.getChoices().isEmpty() && u.getChoice().getDelta().getToolCalls() != null) {
                u.getChoice().getDelta().getToolCalls().forEach(t -> {
                    if (t.getFunction().getName() != null) {
                        name[0] = t.getFunction().getName();
                    }
                    args.append(t.getFunction().getArguments());
                });
            }
        });
        assertEquals("get_current_weather", name[0]);
        assertEquals("{\"location\":\"Paris\"}", args.toString());
    }

    @Test
    void wrong_key_is_an_authentication_error() {
        assertThrows(
                ClientAuthenticationException.class, () -> client("wrong", "").getModelInfo());
    }

    @Test
    void unknown_model_is_not_found() {
        ChatCompletionsOptions options = new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("hi")));
        options.setModel("no-such-model");
        ResourceNotFoundException e = assertThrows(
                ResourceNotFoundException.class, () -> client(Api.KEY, "").complete(options));
        assertTrue(e.getMessage().contains("unknown_model"), e.getMessage());
    }

    @Test
    void out_of_range_parameter_is_a_400_naming_it() {
        ChatCompletionsOptions options = new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("hi")));
        options.setTemperature(3.0);
        HttpResponseException e = assertThrows(
                HttpResponseException.class, () -> client(Api.KEY, "").complete(options));
        assertEquals(400, e.getResponse().getStatusCode());
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
}
