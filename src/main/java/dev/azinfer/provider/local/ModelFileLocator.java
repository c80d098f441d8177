package dev.azinfer.provider.local;

import dev.azinfer.config.ProviderConfig.LocalModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finds the GGUF file of a {@code local} deployment: the configured path, else the shared models
 * folder, else the data folder, else a one-time download into the data folder. Blocking: called on
 * a worker thread.
 */
final class ModelFileLocator {

    private static final Logger LOG = Logger.getLogger(ModelFileLocator.class);

    private final LocalModelConfig config;
    private final Path dataModels;

    ModelFileLocator(LocalModelConfig config, Path dataDir) {
        this.config = config;
        this.dataModels = dataDir.resolve("models");
    }

    /** The candidate places, in the order they are tried; also what the 503 message lists. */
    List<Path> candidates() {
        List<Path> places = new ArrayList<>();
        config.modelPath().ifPresent(places::add);
        if (config.modelPath().isEmpty()) {
            places.add(Path.of("..", "shared", "models", config.fileName()));
            places.add(dataModels.resolve(config.fileName()));
        }
        return places;
    }

    Path locate() throws IOException {
        for (Path candidate : candidates()) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        if (config.modelPath().isPresent() || config.downloadUrl().isEmpty()) {
            throw new IOException("model file not found");
        }
        return download(config.downloadUrl().get(), dataModels.resolve(config.fileName()));
    }

    private static Path download(URI url, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        // a file of its own per download, so two deployments fetching the same model never share one
        Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        LOG.infof("Downloading the model from %s into %s", url, target);
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IOException("download answered HTTP " + response.statusCode());
            }
            try (InputStream in = response.body()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            // only a complete file ever has the final name
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download interrupted", e);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
