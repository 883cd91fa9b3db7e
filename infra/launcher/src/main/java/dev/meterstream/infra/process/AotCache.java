package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A directory of JDK ahead-of-time caches (JEP 483, 514 and 515, JDK 25): a child JVM's classes already loaded and
 * linked, and its methods' profiles, from an earlier run of the same code.
 *
 * <p>Why: a fresh stack on two cores spends its first minute with four JVMs loading classes, interpreting and
 * compiling at once (the compilers alone took 0.8-1.2 cores for 40 s at 1,000 events/s), and a load run's first
 * stage is served through that. With a cache a JVM starts with its classes linked and the JIT compiles the hot
 * methods as soon as they run, from the training run's profiles.
 *
 * <p>The first run of a given classpath trains: it runs with {@code -XX:AOTCacheOutput}, and when it is stopped
 * with SIGTERM the JVM writes the cache (a brief extra JVM at exit). A run that is killed or fails leaves no cache,
 * and the next run trains again. A cache is named by everything the JVM checks it against (the JDK, the classpath's
 * jars with their sizes and times, the JVM options other than system properties), so a rebuild or a JDK update
 * makes a new one instead of a cache the JVM would refuse; the stale one is deleted when the new one is written.
 * The JVM checks the cache itself too, and without a usable one it runs as it would without this.
 */
public final class AotCache {
    /** The first JDK with the one-step workflow ({@code -XX:AOTCacheOutput}) and method profiles in the cache. */
    private static final int FIRST_JDK = 25;
    private static final String SUFFIX = ".aot";
    private static final String TRAINING_SUFFIX = ".training";

    private final Path dir;

    private AotCache(final Path dir) {
        this.dir = dir;
    }

    public static AotCache in(final Path dir) {
        return new AotCache(dir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * What a child named {@code name} runs with: the cache if there is one for exactly this code, else a training
     * run; nothing if the child cannot have one (an older JDK, or a directory on the classpath, which the JVM
     * refuses to cache).
     */
    public Optional<Use> forChild(final String name, final Jdk jdk, final List<String> jvmArgs,
                                  final List<Path> classpath) {
        if (jdk.major() < FIRST_JDK || classpath.stream().anyMatch(Files::isDirectory)) {
            return Optional.empty();
        }
        final String prefix = name + "-";
        final Path cache = dir.resolve(prefix + fingerprint(jdk, jvmArgs, classpath) + SUFFIX);
        if (Files.isRegularFile(cache)) {
            return Optional.of(new Use(List.of("-XX:AOTCache=" + cache), null, cache, prefix));
        }
        final Path training = cache.resolveSibling(cache.getFileName() + TRAINING_SUFFIX);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(training);
            // What a killed training run may have left: the JVM's record of it, kept until the cache is written.
            Files.deleteIfExists(training.resolveSibling(training.getFileName() + ".config"));
        } catch (final IOException e) {
            throw new UncheckedIOException("could not prepare the AOT cache directory " + dir, e);
        }
        return Optional.of(new Use(List.of("-XX:AOTCacheOutput=" + training), training, cache, prefix));
    }

    /**
     * How one child uses the cache.
     *
     * @param jvmArgs  the options to add
     * @param training where a training run writes its cache at exit; null when the child uses an existing cache
     * @param cache    the cache's name once trained
     * @param prefix   the start of every cache name of this child, to find stale ones
     */
    public record Use(List<String> jvmArgs, Path training, Path cache, String prefix) {
        public boolean trains() {
            return training != null;
        }

        /**
         * After a training child ended on its own: keeps what it wrote as the child's cache and deletes the child's
         * older caches. Does nothing if it wrote nothing (it was killed, or failed).
         */
        public void keep() {
            if (!trains()) {
                return;
            }
            try {
                if (!Files.isRegularFile(training) || Files.size(training) == 0) {
                    Files.deleteIfExists(training);
                    return;
                }
                Files.move(training, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                try (DirectoryStream<Path> stale = Files.newDirectoryStream(cache.getParent(), prefix + "*")) {
                    for (final Path file : stale) {
                        // Only this child's caches have this name's length: a training file is longer, and so is
                        // the cache of a child whose name starts with this one's (ingest-api-2, say).
                        if (!file.equals(cache) && file.getFileName().toString().length()
                                == cache.getFileName().toString().length()) {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("could not keep the AOT cache " + cache, e);
            }
        }
    }

    private static String fingerprint(final Jdk jdk, final List<String> jvmArgs, final List<Path> classpath) {
        final List<String> parts = new ArrayList<>();
        parts.add(jdk.home().toString());
        parts.add(stamp(jdk.home().resolve("release")));
        parts.add(stamp(jdk.java()));
        // System properties (ports, directories) do not decide whether the JVM can use a cache; the rest may.
        jvmArgs.stream().filter(arg -> !arg.startsWith("-D")).forEach(parts::add);
        classpath.forEach(entry -> parts.add(entry + "@" + stamp(entry)));
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final byte[] hash = digest.digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stamp(final Path file) {
        try {
            return Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (final IOException e) {
            return "missing";
        }
    }
}
