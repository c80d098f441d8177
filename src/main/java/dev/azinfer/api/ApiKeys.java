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
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The inference keys and, apart from them, the management (admin) keys. Keys are kept only as
 * SHA-256 digests and compared with {@link MessageDigest#isEqual}, so neither the content nor the
 * length of a key leaks through timing. Without configured keys, one of each is generated at first
 * start into the data folder ({@code api-key}, {@code admin-key}), readable by the owner only.
 */
/* made at start, so generated keys exist before the first request */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final String GENERATED_KEY_FILE = "api-key";
    static final String GENERATED_ADMIN_KEY_FILE = "admin-key";

    private final KeySet inference;
    private final KeySet admin;

    public ApiKeys(ServiceConfig config) {
        this.inference = KeySet.of(configured(config.apiKeys())
                .orElseGet(() -> List.of(generatedKey(config.dataDir(), GENERATED_KEY_FILE))));
        this.admin = KeySet.of(configured(config.adminKeys())
                .orElseGet(() -> List.of(generatedKey(config.dataDir(), GENERATED_ADMIN_KEY_FILE))));
    }

    /** The digest (hex) of the inference key among the candidates, or null; the digest identifies a key without holding it. */
    public String match(List<String> candidates) {
        return inference.match(candidates);
    }

    /** The digest (hex) of the admin key among the candidates, or null. */
    public String matchAdmin(List<String> candidates) {
        return admin.match(candidates);
    }

    private static Optional<List<String>> configured(Optional<List<String>> keys) {
        return keys.map(list -> list.stream()
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .toList())
                .filter(list -> !list.isEmpty());
    }

    /** Digests of a set of keys. */
    private record KeySet(List<byte[]> digests) {

        static KeySet of(List<String> keys) {
            return new KeySet(keys.stream().map(ApiKeys::digest).toList());
        }

        String match(List<String> candidates) {
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
    }

    private static String generatedKey(Path dataDir, String fileName) {
        Path file = dataDir.resolve(fileName);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.isEmpty()) {
                    throw new IllegalStateException("The key file " + file
                            + " is empty; delete it to have a new key generated, or configure the keys");
                }
                return stored;
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = HexFormat.of().formatHex(random);
            PrivateFiles.write(file, key + "\n");
            LOG.infof("No key configured; generated one and stored it in %s", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read or create the generated key file " + file
                            + "; configure azinfer.api-keys and azinfer.admin-keys or make azinfer.data-dir writable",
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
