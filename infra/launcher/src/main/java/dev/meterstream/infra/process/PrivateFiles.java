package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read: keys, passwords, and configuration that holds them (a broker's
 * server.properties, Cassandra's yaml, a JAAS file). Each is made owner-only before anything is written to it, so
 * there is no moment at which another user could open it.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code file}, owner-only (0600), replacing it; makes its directory if needed. */
    public static Path write(final Path file, final CharSequence text) {
        try {
            final Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
