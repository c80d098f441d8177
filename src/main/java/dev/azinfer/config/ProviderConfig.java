package dev.azinfer.config;

import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How a model is reached: the upstream kind and its settings, shared by configured deployments and catalog versions. */
public interface ProviderConfig {

    /** Which kind of upstream serves this deployment. */
    @WithConverter(ProviderKind.Named.class)
    ProviderKind provider();

    /**
     * Upstream base URL. {@code openai}: the base that {@code /chat/completions} is appended to
     * (e.g. {@code http://localhost:11434/v1}); {@code azure-openai}: the resource endpoint
     * ({@code https://NAME.openai.azure.com}); {@code azure-ai}: the inference endpoint
     * ({@code https://NAME.services.ai.azure.com/models}). Not used by {@code local}.
     */
    Optional<URI> url();

    /** Credential for the upstream; never logged. Not used by {@code local}. */
    Optional<String> apiKey();

    /**
     * Model name sent upstream: the OpenAI model, the Azure OpenAI deployment name or the Azure AI
     * deployment name. Defaults to this deployment's own name.
     */
    Optional<String> upstreamModel();

    /** {@code api-version} sent to Azure upstreams; defaults to 2024-10-21 (Azure OpenAI) or 2024-05-01-preview (Azure AI). */
    Optional<String> upstreamApiVersion();

    /** Model name reported by {@code GET /info}; defaults to the upstream model name or the model file name. */
    Optional<String> modelName();

    /** Model provider reported by {@code GET /info}. */
    Optional<String> modelProviderName();

    /** Model type reported by {@code GET /info}. */
    @WithDefault("chat_completion")
    String modelType();

    /**
     * Request parameters the model behind this deployment does not accept (e.g. {@code tools},
     * {@code response_format}, {@code seed}, {@code image_url}); a request using one is 422.
     */
    Optional<List<String>> unsupportedParameters();

    /**
     * The body field that carries {@code max_tokens} upstream: {@code max_tokens}, or
     * {@code max_completion_tokens} for OpenAI's reasoning models (o1, o3, o4-mini, gpt-5), which
     * refuse {@code max_tokens}. Clients send {@code max_tokens} either way.
     */
    @WithDefault("max_tokens")
    String maxTokensField();

    /** Time allowed to open a connection to the upstream; past it the request is 504. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest silence allowed from the upstream while waiting for or reading its answer; past it 504. */
    @WithDefault("120s")
    Duration readTimeout();

    /** What the model costs, for the usage ledger and the spending limit. */
    Price price();

    /** Prices per 1,000 tokens, in {@code azinfer.billing.currency}; absent means free. */
    interface Price {
        /** Price of 1,000 prompt (input) tokens. */
        @io.smallrye.config.WithName("input-per-1k")
        Optional<java.math.BigDecimal> inputPer1k();

        /** Price of 1,000 completion (output) tokens. */
        @io.smallrye.config.WithName("output-per-1k")
        Optional<java.math.BigDecimal> outputPer1k();
    }

    /** Settings of the in-process model ({@code local} provider). */
    LocalModelConfig local();

    /** Fails start-up with a message naming the key ({@code prefix} + key) when the settings cannot make a provider. */
    static void requireUsable(String prefix, ProviderConfig c) {
        if (c.provider() != ProviderKind.LOCAL && c.url().isEmpty()) {
            throw new IllegalStateException(prefix + "url is required for the provider " + c.provider());
        }
        if ((c.provider() == ProviderKind.AZURE_OPENAI || c.provider() == ProviderKind.AZURE_AI)
                && c.apiKey().isEmpty()) {
            throw new IllegalStateException(prefix + "api-key is required for the provider " + c.provider());
        }
    }

    /** Upstream kinds, written in configuration as {@code openai}, {@code azure-openai}, {@code azure-ai}, {@code local}. */
    enum ProviderKind {
        OPENAI,
        AZURE_OPENAI,
        AZURE_AI,
        LOCAL;

        /** The name the configuration gives it: {@code openai}, {@code azure-openai}, {@code azure-ai}, {@code local}. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /**
         * Reads a kind by its name (any case, {@code -} or {@code _}); a wrong one names them all.
         * SmallRye's own enum conversion listed "azure-ai,openai,azure" for a typo, leaving out two.
         */
        public static final class Named implements org.eclipse.microprofile.config.spi.Converter<ProviderKind> {
            @Override
            public ProviderKind convert(String value) {
                String name = value.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                for (ProviderKind kind : values()) {
                    if (kind.configName().equals(name)) {
                        return kind;
                    }
                }
                throw new IllegalArgumentException("the provider is one of "
                        + java.util.Arrays.stream(values())
                                .map(ProviderKind::configName)
                                .collect(java.util.stream.Collectors.joining(", "))
                        + "; not '" + value + "'");
            }
        }
    }

    /** The in-process GGUF model. */
    interface LocalModelConfig {

        /** GGUF file to load; when absent, {@code file-name} is looked for in the model folders, then downloaded. */
        Optional<Path> modelPath();

        /** File name looked for in {@code ../shared/models/} and the data folder. */
        @WithDefault("stories260K.gguf")
        String fileName();

        /** Public URL the model is downloaded from, once, into the data folder, when no local copy exists. */
        Optional<URI> downloadUrl();

        /** A download that receives nothing for this long is abandoned; the deployment then answers 503 saying where to put the file. */
        @WithDefault("60s")
        Duration downloadStallTimeout();

        /** How the chat is turned into a prompt: {@code template} (the model's chat template) or {@code plain} (message texts joined by new lines, for base models). */
        @WithDefault("template")
        String promptFormat();

        /** Requests generated at the same time (llama.cpp slots); more are queued. */
        @WithDefault("2")
        int parallel();

        /** Context length of each slot, in tokens. */
        @WithDefault("512")
        int contextPerSlot();

        /** CPU threads used by the model. */
        @WithDefault("1")
        int threads();

        /**
         * How soon after a failed load (no model file, say) a request tries again: a file put in
         * place later is found without recreating the deployment.
         */
        @WithDefault("30s")
        Duration loadRetry();

        /**
         * Load the model when the deployment starts rather than at its first request. Loading
         * waits for the first request by default: an idle service does not hold llama.cpp and
         * the model's buffers (about 35 MB for the tiny default model, the model's size and its
         * context for others), and the first request waits for the load (under a second for
         * the tiny model). The file is looked for, and downloaded if need be, at start either way.
         */
        @WithDefault("false")
        boolean loadAtStart();

        /** Tokens generated when the request sets no {@code max_tokens}. */
        @WithDefault("256")
        int defaultMaxTokens();
    }
}
