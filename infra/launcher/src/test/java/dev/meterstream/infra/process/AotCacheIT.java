package dev.meterstream.infra.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JVMs: a training run stopped with SIGTERM leaves a cache that the next run of the same jar is held to. */
class AotCacheIT {
    private static final List<String> JVM_ARGS = List.of("-Xmx64m", "-XX:+UseSerialGC");

    /** A child that runs until it is stopped. */
    public static final class Sleeper {
        public static void main(final String[] args) throws InterruptedException {
            System.out.println("started " + new StringBuilder("x").append(args.length));
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    @Test
    void trainingRunShouldLeaveACacheTheNextRunUses(@TempDir final Path dir) throws Exception {
        final Path jar = jarOf(Sleeper.class, dir.resolve("sleeper.jar"));
        final AotCache cache = AotCache.in(dir.resolve("aot"));
        final Jdk jdk = Jdk.current();

        final AotCache.Use training = cache.forChild("sleeper", jdk, JVM_ARGS, List.of(jar)).orElseThrow();
        assertTrue(training.trains(), "no cache yet, so the first run trains");
        runUntilStarted(jdk, training, jar, dir.resolve("training.log"));
        training.keep();
        assertTrue(Files.size(training.cache()) > 0, "the training run wrote " + training.cache());
        assertFalse(Files.exists(training.training()), "the training file became the cache");

        final AotCache.Use using = cache.forChild("sleeper", jdk, JVM_ARGS, List.of(jar)).orElseThrow();
        assertFalse(using.trains());
        assertEquals(List.of("-XX:AOTCache=" + training.cache()), using.jvmArgs());
        // AOTMode=on makes the JVM refuse to start if it cannot use the cache, instead of running without it.
        final List<String> strict = new ArrayList<>(using.jvmArgs());
        strict.add("-XX:AOTMode=on");
        runUntilStarted(jdk, new AotCache.Use(strict, null, using.cache(), using.prefix()), jar,
                dir.resolve("using.log"));

        // A rebuilt jar is other code: a new training run, and the old cache goes once the new one is written.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2_000));
        final AotCache.Use retraining = cache.forChild("sleeper", jdk, JVM_ARGS, List.of(jar)).orElseThrow();
        assertTrue(retraining.trains());
        runUntilStarted(jdk, retraining, jar, dir.resolve("retraining.log"));
        retraining.keep();
        try (Stream<Path> files = Files.list(cache.dir())) {
            assertEquals(List.of(retraining.cache()), files.toList());
        }
    }

    @Test
    void aChildStoppedWithSigtermShouldKeepItsTrainingAsTheCache(@TempDir final Path dir) throws Exception {
        // Under failsafe the launcher's own classes (ParentWatch, which every child runs) come from its jar, as
        // under ./dev; a classes directory would mean no cache at all.
        final Path jar = jarOf(Sleeper.class, dir.resolve("sleeper.jar"));
        final AotCache cache = AotCache.in(dir.resolve("aot"));
        startAndStop(cache, jar, dir.resolve("first.log"));
        final Path written;
        try (Stream<Path> files = Files.list(cache.dir())) {
            final List<Path> all = files.toList();
            assertEquals(1, all.size(), "one cache, no training file left: " + all);
            written = all.getFirst();
        }
        assertTrue(written.getFileName().toString().matches("sleeper-[0-9a-f]{16}\\.aot"), written.toString());
        final FileTime trained = Files.getLastModifiedTime(written);

        startAndStop(cache, jar, dir.resolve("second.log"));
        assertEquals(trained, Files.getLastModifiedTime(written), "the second child used the cache, not retrained");
        assertTrue(Files.readString(dir.resolve("second.log")).contains("started"));
    }

    /** Starts the sleeper as the launcher starts a service, and stops it with a grace too short for training. */
    private static void startAndStop(final AotCache cache, final Path jar, final Path log) {
        final JavaProcess child = JavaProcess.builder("sleeper")
                .classpath(List.of(jar))
                .jvmArgs(JVM_ARGS)
                .mainClass(Sleeper.class.getName())
                .logFile(log)
                .aotCache(cache)
                .start();
        try {
            Await.until("the child to start (" + log + ")", Duration.ofSeconds(60),
                    () -> Files.readString(log).contains("started"));
            child.stop(Duration.ofMillis(1));
        } finally {
            child.kill();
        }
    }

    @Test
    void aClassesDirectoryOnTheClasspathShouldMeanNoCache(@TempDir final Path dir) throws Exception {
        final Path jar = jarOf(Sleeper.class, dir.resolve("sleeper.jar"));
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not empty");
        assertTrue(AotCache.in(dir.resolve("aot")).forChild("sleeper", Jdk.current(), JVM_ARGS,
                List.of(jar, classes)).isEmpty(), "the JVM refuses to cache with a non-empty directory on the path");
    }

    @Test
    void aTrainingRunThatWroteNothingShouldLeaveNoCache(@TempDir final Path dir) throws Exception {
        final Path jar = jarOf(Sleeper.class, dir.resolve("sleeper.jar"));
        final AotCache cache = AotCache.in(dir.resolve("aot"));
        final AotCache.Use training = cache.forChild("sleeper", Jdk.current(), JVM_ARGS, List.of(jar))
                .orElseThrow();
        training.keep(); // as after a kill: no file written
        assertFalse(Files.exists(training.cache()));
        assertTrue(cache.forChild("sleeper", Jdk.current(), JVM_ARGS, List.of(jar)).orElseThrow().trains());
    }

    private static void runUntilStarted(final Jdk jdk, final AotCache.Use use, final Path jar, final Path log)
            throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(JVM_ARGS);
        command.addAll(use.jvmArgs());
        command.addAll(List.of("-cp", jar.toString(), Sleeper.class.getName()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Await.until("the child to start (" + log + ")", Duration.ofSeconds(60), () -> {
                if (!process.isAlive()) {
                    throw new Await.GaveUp("the child exited: " + Files.readString(log));
                }
                return Files.readString(log).contains("started");
            });
            process.destroy(); // SIGTERM, as ./dev down and the end of a load run stop the services
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child did not exit; see " + log);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Path jarOf(final Class<?> type, final Path jar) throws Exception {
        final String entry = type.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(entry));
            try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jarOut);
            }
            jarOut.closeEntry();
        }
        return jar;
    }
}
