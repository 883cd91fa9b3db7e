package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.PrivateFiles;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.auth.StoredKey;
import dev.meterstream.support.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The development API keys ./dev up hands out, all of tenant {@code dev}, one per scope: a producer key for
 * ingest-api, an analyst key and an admin key (which may also define meters and make keys) for query-api. They live
 * in the keys topic as every key does (only digests); the keys themselves are kept in {@code .data/dev-api-key},
 * {@code .data/dev-query-key} and {@code .data/dev-admin-key} (one line, for scripts, readable by their owner
 * only), and made again if the topic no longer holds them.
 */
final class DevKeys {
    static final String TENANT = "dev";
    private static final Map<Scope, String> FILES = Map.of(Scope.INGEST, "dev-api-key", Scope.QUERY,
            "dev-query-key", Scope.ADMIN, "dev-admin-key");

    private final Path dataDir;

    DevKeys(final Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Makes each dev key the topic does not hold as an active key of its scope, and writes it to its file. */
    void ensure(final KafkaConnection kafka) {
        try (KeyRing ring = KeyRing.start(kafka, "dev-keys")) {
            for (final Map.Entry<Scope, String> entry : FILES.entrySet()) {
                final Path file = file(entry.getKey());
                final Optional<StoredKey> held = Files.exists(file)
                        ? ring.authenticate(read(file)).filter(key -> key.scope() == entry.getKey())
                        : Optional.empty();
                if (held.isEmpty()) {
                    write(file, ring.issue(TENANT, entry.getKey(), null).key());
                }
            }
        }
    }

    Path file(final Scope scope) {
        return dataDir.resolve(FILES.get(scope));
    }

    String ingestKey() {
        return read(file(Scope.INGEST));
    }

    private static void write(final Path file, final String key) {
        PrivateFiles.write(file, key + "\n");
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file).trim();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
