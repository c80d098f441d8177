package dev.azinfer.api;

import dev.azinfer.config.PrivateFiles;
import dev.azinfer.config.ServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The inference keys. Keys are kept only as SHA-256 digests and compared with
 * {@link MessageDigest#isEqual}, so neither the content nor the length of a key leaks through timing.
 */
/* made at start, so a generated key exists before the first request */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final String GENERATED_KEY_FILE = "api-key";

    private final List<byte[]> digests;

    public ApiKeys(ServiceConfig config) {
        List<String> keys = config.apiKeys()
                .map(list -> list.stream()
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .toList())
                .filter(list -> !list.isEmpty())
                .orElseGet(() -> List.of(generatedKey(config.dataDir())));
        this.digests = keys.stream().map(ApiKeys::digest).toList();
    }

    /**
     * The digest (hex) of the configured key among the candidates (the values a client sent), or
     * null when none is a configured key. The digest identifies a key without holding it.
     */
    public String match(List<String> candidates) {
        String matched = null;
        for (String candidate : candidates) {
            if (candidate.isBlank()) {
                continue;
            }
            byte[] d = digest(candidate);
            for (byte[] known : digests) {
                // no early exit: every candidate is compared with every key
                if (MessageDigest.isEqual(d, known)) {
                    matched = HexFormat.of().formatHex(known);
                }
            }
        }
        return matched;
    }

    private static String generatedKey(Path dataDir) {
        Path file = dataDir.resolve(GENERATED_KEY_FILE);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.isEmpty()) {
                    throw new IllegalStateException("The key file " + file
                            + " is empty; delete it to have a new key generated, or set azinfer.api-keys");
                }
                return stored;
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = HexFormat.of().formatHex(random);
            PrivateFiles.write(file, key + "\n");
            LOG.infof(
                    "No API key configured (azinfer.api-keys); generated one and stored it in %s",
                    file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read or create the generated API key file " + file
                            + "; set azinfer.api-keys or make azinfer.data-dir writable",
                    e);
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
