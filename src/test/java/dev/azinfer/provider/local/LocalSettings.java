package dev.azinfer.provider.local;

import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ProviderConfig.LocalModelConfig;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A local deployment's settings as the configuration would give them, for tests that build the
 * provider's parts directly: one slot, a small context, a short download stall timeout.
 */
record LocalSettings(Optional<Path> modelPath, Optional<URI> downloadUrl, boolean loadAtStart)
        implements LocalModelConfig {

    /** The tiny model from ../shared/models. */
    static LocalSettings tinyModel(boolean loadAtStart) {
        return new LocalSettings(
                Optional.of(Path.of("..", "shared", "models", "stories260K.gguf")), Optional.empty(), loadAtStart);
    }

    /** No local copy: the file is downloaded from {@code url}. */
    static LocalSettings downloadedFrom(URI url) {
        return new LocalSettings(Optional.empty(), Optional.of(url), false);
    }

    /** A deployment with these settings; only {@code local()} is answered. */
    ProviderConfig deployment() {
        return (ProviderConfig) Proxy.newProxyInstance(
                ProviderConfig.class.getClassLoader(), new Class<?>[] {ProviderConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("local")) {
                        return this;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public String fileName() {
        return "fetched.gguf";
    }

    @Override
    public Duration downloadStallTimeout() {
        return Duration.ofMillis(500);
    }

    @Override
    public String promptFormat() {
        return "plain";
    }

    @Override
    public int parallel() {
        return 1;
    }

    @Override
    public int contextPerSlot() {
        return 512;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public Duration loadRetry() {
        return Duration.ofSeconds(30);
    }

    @Override
    public int defaultMaxTokens() {
        return 16;
    }
}
