package dev.meterstream.infra.dev;

import dev.meterstream.support.auth.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The development API keys ./dev up hands out, all of tenant {@code dev}: a producer key for ingest-api, an analyst
 * key and an admin key (which may also define meters) for query-api. Each key is made once and kept in
 * {@code .data/dev-api-key}, {@code .data/dev-query-key} and {@code .data/dev-admin-key} (one line, for scripts,
 * readable by their owner only); the services only get files of their SHA-256 digests.
 */
final class DevKeys {
    static final String TENANT = "dev";

    private final Path dataDir;

    DevKeys(final Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The digest file for ingest-api, creating the producer key if needed. */
    Path ingestKeysFile() {
        return digestFile("dev-api-key", "ingest-keys");
    }

    /** The digest file for query-api, creating the analyst key if needed. */
    Path queryKeysFile() {
        return digestFile("dev-query-key", "query-keys");
    }

    /** The admin digest file for query-api, creating the admin key if needed. */
    Path adminKeysFile() {
        return digestFile("dev-admin-key", "admin-keys");
    }

    String ingestKey() {
        return read(dataDir.resolve("dev-api-key"));
    }

    private Path digestFile(final String keyName, final String digestName) {
        final Path keyFile = dataDir.resolve(keyName);
        final Path digestFile = dataDir.resolve(digestName);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(keyFile)) {
                Files.writeString(keyFile, ApiKeys.generateKey() + "\n");
            }
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(digestFile, "# written by ./dev up: SHA-256 of " + keyFile.getFileName() + ", tenant\n"
                    + ApiKeys.sha256(read(keyFile)) + " " + TENANT + "\n");
            return digestFile;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file).trim();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
