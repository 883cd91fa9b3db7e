package dev.meterstream.infra.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh data directories for test clusters, under the build's output so that `clean` removes them. */
public final class TestDirectories {
    private TestDirectories() {
    }

    public static Path create(final String prefix) {
        try {
            final Path root = Files.createDirectories(Path.of(System.getProperty("meterstream.test.dir", "target/infra")));
            return Files.createTempDirectory(root.toAbsolutePath(), prefix + "-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
