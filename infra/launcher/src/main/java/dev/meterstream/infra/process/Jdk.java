package dev.meterstream.infra.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a JDK whose major version lies in a range. The services need 21+; Cassandra 5.0 needs 11 to 17
 * (JDK 24 removed the SecurityManager its start-up sets). Same rule as bin/find-jdk: an explicit home wins if it
 * fits, else the newest fitting JDK in the system's JVM directory.
 */
public final class Jdk {
    private static final Path JVM_DIR = Path.of(System.getenv().getOrDefault("JVM_DIR", "/usr/lib/jvm"));

    private final Path home;
    private final int major;

    private Jdk(final Path home, final int major) {
        this.home = home;
        this.major = major;
    }

    /** The JDK running this code. */
    public static Jdk current() {
        return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /**
     * A JDK with {@code min <= major <= max}: {@code preferred} (for example from an environment variable) if it
     * fits, else the current JVM if it fits, else the newest fitting one in the JVM directory.
     */
    public static Jdk find(final int min, final int max, final Optional<Path> preferred, final String purpose) {
        final Optional<Jdk> explicit = preferred.map(Jdk::at);
        if (explicit.isPresent()) {
            if (explicit.get().fits(min, max)) {
                return explicit.get();
            }
            throw new IllegalStateException(purpose + " needs a JDK " + min + "-" + max + ", but " + explicit.get().home
                    + " is " + explicit.get().major);
        }
        final Jdk current = current();
        if (current.fits(min, max)) {
            return current;
        }
        try (Stream<Path> dirs = Files.list(JVM_DIR)) {
            final List<Jdk> candidates = dirs
                    .filter(dir -> !Files.isSymbolicLink(dir))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
                    .map(Jdk::at)
                    .filter(jdk -> jdk.fits(min, max))
                    .sorted(Comparator.comparingInt((Jdk jdk) -> jdk.major).reversed())
                    .toList();
            if (!candidates.isEmpty()) {
                return candidates.getFirst();
            }
        } catch (final IOException e) {
            // fall through to the error below
        }
        throw new IllegalStateException(purpose + " needs a JDK " + min + "-" + max + "; none found in " + JVM_DIR
                + " (install one, e.g. apt-get install openjdk-17-jdk-headless, or point the launcher at one)");
    }

    private static Jdk at(final Path home) {
        return new Jdk(home, readMajor(home));
    }

    private static int readMajor(final Path home) {
        final Path release = home.resolve("release");
        try {
            for (final String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    final String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    final String first = version.split("[.+-]")[0];
                    return Integer.parseInt("1".equals(first) ? version.split("\\.")[1] : first);
                }
            }
        } catch (final IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private boolean fits(final int min, final int max) {
        return major >= min && major <= max;
    }

    public Path java() {
        return home.resolve("bin/java");
    }

    public Path home() {
        return home;
    }

    public int major() {
        return major;
    }
}
