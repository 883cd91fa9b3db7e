package dev.meterstream.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * As {@link #of}, with the module's packaged jar in place of its classes directory when the jar is at least as
     * new as every class (./dev up and load runs package first): a JVM can keep an ahead-of-time cache only of
     * classes loaded from jars. Falls back to {@link #of} when the jar is missing or older.
     */
    public static List<Path> packaged(final Path root, final String module) {
        final List<Path> entries = of(root, module);
        final Path classes = classes(root, module);
        try (Stream<Path> jars = Files.list(root.resolve(module).resolve("target"))) {
            final Optional<Path> jar = jars.filter(file -> file.getFileName().toString().endsWith(".jar")).findFirst();
            if (jar.isEmpty() || newestFile(classes).compareTo(Files.getLastModifiedTime(jar.get())) > 0) {
                return entries;
            }
            final List<Path> packaged = new ArrayList<>(entries);
            packaged.set(packaged.indexOf(classes), jar.get());
            return packaged;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime newestFile(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.getLastModifiedTime(file);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        }
    }

    private static Path classes(final Path root, final String module) {
        return root.resolve(module).resolve("target/classes");
    }

    private static Path classpathFile(final Path root, final String module) {
        return root.resolve(module).resolve("target/runtime.classpath");
    }
}
