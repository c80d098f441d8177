package dev.azinfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.azinfer.support.Api;
import dev.azinfer.support.FakeUpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The real OpenAI Java SDK against the service's OpenAI-compatible path, with all its telemetry headers. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreamResource.class)
class OpenAiSdkClientTest {

    @TestHTTPResource("/openai/v1")
    URL base;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString())
                .apiKey(Api.KEY)
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams params(String model, String text) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage(text)
                .maxCompletionTokens(10)
                .seed(5)
                .build();
    }

    @Test
    void completion() {
        ChatCompletion answer = client().chat().completions().create(params("tiny-stories", "Once upon a time"));
        answer.validate();
        assertFalse(answer.choices().get(0).message().content().orElseThrow().isBlank());
        assertEquals(
                ChatCompletion.Choice.FinishReason.LENGTH,
                answer.choices().get(0).finishReason());
        assertEquals(10, answer.usage().orElseThrow().completionTokens());
    }

    @Test
    void streaming_completion() {
        StringBuilder text = new StringBuilder();
        long[] usage = new long[1];
        try (StreamResponse<ChatCompletionChunk> stream =
                client().chat().completions().createStreaming(params("tiny-stories", "Once upon a time"))) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertFalse(text.toString().isBlank());
        assertEquals(10, usage[0]);
    }

    @Test
    void upstream_deployment_through_the_openai_sdk() {
        ChatCompletion answer = client().chat().completions().create(params("gpt-fake", "hello"));
        assertEquals(
                "Hello! How can I assist you today?",
                answer.choices().get(0).message().content().orElseThrow());
    }

    @Test
    void unknown_model_is_not_found() {
        NotFoundException e = assertThrows(
                NotFoundException.class, () -> client().chat().completions().create(params("missing", "x")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
