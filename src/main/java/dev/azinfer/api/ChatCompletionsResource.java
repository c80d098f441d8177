package dev.azinfer.api;

import dev.azinfer.api.ChatRequestParser.Dialect;
import dev.azinfer.api.model.ChatCompletions;
import dev.azinfer.api.model.ChatCompletionsOptions;
import dev.azinfer.inference.ChatService;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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

    private final io.quarkus.vertx.http.runtime.CurrentVertxRequest request;

    public ChatCompletionsResource(
            ChatRequestParser parser, ChatService chat, io.quarkus.vertx.http.runtime.CurrentVertxRequest request) {
        this.parser = parser;
        this.chat = chat;
        this.request = request;
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "GetChatCompletions",
            summary = "Create chat completion",
            description =
                    "Gets the model's reply to the conversation in messages, from the deployment named by model or by the azureml-model-deployment header, else the default deployment. With stream true the reply arrives as server-sent events.")
    @APIResponse(
            responseCode = "200",
            description = "The completion, or with stream true a text/event-stream of chunks ending with data: [DONE].",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ChatCompletions.class)),
                @Content(
                        mediaType = "text/event-stream",
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        description =
                                                "data: {StreamingChatCompletionsUpdate} events, then data: [DONE]"))
            })
    public Multi<Buffer> getChatCompletions(
            @Parameter(
                            description = ApiDocs.API_VERSION,
                            required = true,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {
                                                ApiVersions.V2024_05_01_PREVIEW,
                                                ApiVersions.V2024_08_01_PREVIEW,
                                                ApiVersions.V2025_04_01
                                            },
                                            defaultValue = ApiVersions.DEFAULT))
                    @RestQuery("api-version")
                    String apiVersion,
            @Parameter(
                            description = ApiDocs.EXTRA_PARAMETERS,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"error", "drop", "pass-through"},
                                            defaultValue = "error"))
                    @RestHeader(ExtraParameters.HEADER)
                    String extraParameters,
            @Parameter(description = ApiDocs.DEPLOYMENT_HEADER) @RestHeader(DEPLOYMENT_HEADER) String deployment,
            @RequestBody(
                            required = true,
                            description = "The conversation and the generation options.",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = ChatCompletionsOptions.class)))
                    byte[] body) {
        ApiVersions.require(apiVersion);
        return answer(body, extraParameters, deployment, Dialect.AZURE);
    }

    @POST
    @Path("models/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
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
    @Operation(hidden = true)
    public Multi<Buffer> createChatCompletionOpenAi(
            @RestHeader(ExtraParameters.HEADER) String extraParameters,
            @RestHeader(DEPLOYMENT_HEADER) String deployment,
            byte[] body) {
        return answer(body, extraParameters, deployment, Dialect.OPENAI);
    }

    private Multi<Buffer> answer(byte[] body, String extraParameters, String deployment, Dialect dialect) {
        ParsedChatRequest parsed = parser.parse(body, ExtraParameters.parse(extraParameters), dialect);
        return RestMulti.fromUniResponse(
                chat.chat(parsed, deployment, request.getCurrent().get(HttpPipeline.KEY_ID)),
                ChatService.Reply::body,
                ChatService.Reply::headers,
                ChatService.Reply::status);
    }
}
