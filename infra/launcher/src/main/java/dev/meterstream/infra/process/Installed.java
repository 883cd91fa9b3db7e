package dev.meterstream.infra.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** A program installed on the machine (a Debian package's binary), found where Debian puts it or on the PATH. */
public final class Installed {
    private Installed() {
    }

    /** The executable named {@code name} in /usr/sbin, /usr/bin or a PATH directory, in that order; or empty. */
    public static Optional<Path> program(final String name) {
        return Stream.concat(Stream.of(Path.of("/usr/sbin", name), Path.of("/usr/bin", name)),
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
