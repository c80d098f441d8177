package dev.azinfer.api;

import dev.azinfer.api.ChatRequestParser.Dialect;
import dev.azinfer.inference.ChatService;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * GetChatCompletions. Served at the root and under {@code /models}, since Azure endpoints are
 * written both ways, and under {@code /openai/v1} for OpenAI clients, which send no api-version.
 * The answer is a stream in both cases: one JSON document, or server-sent events; either way its
 * status and headers are decided when the model has accepted the request.
 */
@Path("/")
public class ChatCompletionsResource {

    public static final String DEPLOYMENT_HEADER = "azureml-model-deployment";

    private final ChatRequestParser parser;
    private final ChatService chat;

    public ChatCompletionsResource(ChatRequestParser parser, ChatService chat) {
        this.parser = parser;
        this.chat = chat;
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Multi<Buffer> getChatCompletions(
            @RestQuery("api-version") String apiVersion,
            @RestHeader(ExtraParameters.HEADER) String extraParameters,
            @RestHeader(DEPLOYMENT_HEADER) String deployment,
            byte[] body) {
        ApiVersions.require(apiVersion);
        return answer(body, extraParameters, deployment, Dialect.AZURE);
    }

    @POST
    @Path("models/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Multi<Buffer> getChatCompletionsUnderModels(
            @RestQuery("api-version") String apiVersion,
            @RestHeader(ExtraParameters.HEADER) String extraParameters,
            @RestHeader(DEPLOYMENT_HEADER) String deployment,
            byte[] body) {
        return getChatCompletions(apiVersion, extraParameters, deployment, body);
    }

    @POST
    @Path("openai/v1/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Multi<Buffer> createChatCompletionOpenAi(
            @RestHeader(ExtraParameters.HEADER) String extraParameters,
            @RestHeader(DEPLOYMENT_HEADER) String deployment,
            byte[] body) {
        return answer(body, extraParameters, deployment, Dialect.OPENAI);
    }

    private Multi<Buffer> answer(byte[] body, String extraParameters, String deployment, Dialect dialect) {
        ParsedChatRequest parsed = parser.parse(body, ExtraParameters.parse(extraParameters), dialect);
        return RestMulti.fromUniResponse(
                chat.chat(parsed, deployment),
                ChatService.Reply::body,
                ChatService.Reply::headers,
                ChatService.Reply::status);
    }
}
