package dev.meterstream.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of one of the project's own modules, to run it as a plain java process: its compiled classes plus the
 * runtime classpath the build wrote to {@code target/runtime.classpath} (see the root pom's dependency plugin).
 */
public final class ModuleClasspath {
    private ModuleClasspath() {
    }

    public static boolean isBuilt(final Path root, final String module) {
        return Files.exists(classpathFile(root, module)) && Files.isDirectory(classes(root, module));
    }

    public static List<Path> of(final Path root, final String module) {
        if (!isBuilt(root, module)) {
            throw new IllegalStateException(module + " is not built (no " + classpathFile(root, module)
                    + "); run ./mvnw package -DskipTests");
        }
        final List<Path> entries = new ArrayList<>();
        entries.add(classes(root, module));
        try {
            for (final String entry : Files.readString(classpathFile(root, module)).trim().split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static Path classes(final Path root, final String module) {
        return root.resolve(module).resolve("target/classes");
    }

    private static Path classpathFile(final Path root, final String module) {
        return root.resolve(module).resolve("target/runtime.classpath");
    }
}
