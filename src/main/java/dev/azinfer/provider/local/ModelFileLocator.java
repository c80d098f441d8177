package dev.azinfer.provider.local;

import dev.azinfer.config.ProviderConfig.LocalModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
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

    /** How long a partial download must have been left unwritten before it is taken for abandoned. */
    static final Duration ABANDONED = Duration.ofMinutes(10);

    private Path download(URI url, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        removeAbandonedParts(target);
        // a file of its own per download, so two deployments fetching the same model never share one
        Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        LOG.infof("Downloading the model from %s into %s", url, target);
        Duration stall = config.downloadStallTimeout();
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout(10_000);
        // a timeout per read, not for the whole download: a large model may take long, but a host that
        // stops sending must not leave the deployment loading forever
        connection.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, stall.toMillis())));
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("download answered HTTP " + status);
            }
            long expected = connection.getContentLengthLong();
            long received;
            try (InputStream in = connection.getInputStream()) {
                received = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (expected >= 0 && received != expected) {
                throw new IOException("download ended after " + received + " of " + expected + " bytes");
            }
            // only a complete file ever has the final name
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (SocketTimeoutException e) {
            throw new IOException("download received nothing for " + stall.toMillis() + " ms", e);
        } finally {
            connection.disconnect();
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Removes what downloads of this file left when their process was killed (a model is gigabytes):
     * partial files nothing has written to for twice the stall timeout, and at least for {@link
     * #ABANDONED} (another deployment fetching the same file may have a longer stall timeout).
     */
    private void removeAbandonedParts(Path target) {
        Duration quiet = config.downloadStallTimeout().multipliedBy(2);
        Instant written = Instant.now().minus(quiet.compareTo(ABANDONED) > 0 ? quiet : ABANDONED);
        String prefix = target.getFileName() + ".";
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".part");
        })) {
            for (Path part : parts) {
                if (Files.getLastModifiedTime(part).toInstant().isBefore(written) && Files.deleteIfExists(part)) {
                    LOG.infof("Removed %s, a download that a stopped process left", part);
                }
            }
        } catch (IOException e) {
            LOG.debugf("Looking for abandoned downloads failed (%s)", e.getMessage());
        }
    }
}
