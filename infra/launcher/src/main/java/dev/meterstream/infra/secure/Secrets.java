package dev.meterstream.infra.secure;

import dev.meterstream.infra.process.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A directory of random passwords, one file each, readable by their owner only: what a secure stack's parts and
 * services authenticate with. A password is made the first time it is asked for and read again afterwards, so a
 * restarted stack finds the users and roles it made before. The passwords are hex, so they need no quoting in a
 * JAAS file, a CQL statement or a Kafka tool's argument.
 */
public final class Secrets {
    private static final int BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    private Secrets(final Path dir) {
        this.dir = dir;
    }

    /** The passwords in {@code dir}, which is made owner-only if it is new. */
    public static Secrets in(final Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return new Secrets(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot make the secrets directory " + dir, e);
        }
    }

    /** The file holding {@code name}'s password, made (0600, before anything is written to it) if missing. */
    public Path file(final String name) {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a secret's name is lower-case letters, digits and '-', was '" + name
                    + "'");
        }
        final Path file = dir.resolve(name + ".password");
        if (Files.exists(file)) {
            return file;
        }
        final byte[] random = new byte[BYTES];
        RANDOM.nextBytes(random);
        final Path making = dir.resolve(name + ".password.new");
        PrivateFiles.write(making, HexFormat.of().formatHex(random));
        try {
            Files.move(making, file);
        } catch (final FileAlreadyExistsException e) {
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the password of " + name + " in " + dir, e);
        }
        return file;
    }

    /** {@code name}'s password, made if missing. */
    public String password(final String name) {
        try {
            return Files.readString(file(name)).trim();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the password of " + name + " in " + dir, e);
        }
    }

    /** Writes {@code text} to {@code name} in this directory, owner-only (a JAAS file, say); replaces it. */
    public Path writePrivate(final String name, final String text) {
        return PrivateFiles.write(dir.resolve(name), text);
    }

    public Path dir() {
        return dir;
    }
}
