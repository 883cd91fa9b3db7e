package dev.meterstream.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started by the launcher: a broker, a Cassandra node, a service, or a one-shot tool.
 *
 * <p>Every child runs under {@code ParentWatch}, so it ends when its parent does, and carries
 * {@code -Dmeterstream.child=<name>} so that an operator (or CI) can see what it is. Output goes to a log file,
 * never to the parent's console. {@link #stop(Duration)} sends SIGTERM to this PID, waits, then kills it and any
 * descendants still alive.
 */
public final class JavaProcess implements AutoCloseable {
    private static final String PARENT_WATCH = "dev.meterstream.infra.process.ParentWatch";
    /** A training run writes its AOT cache while it exits (a second JVM assembles it), which takes a while. */
    private static final Duration TRAINING_EXIT_GRACE = Duration.ofSeconds(120);
    private final String name;
    private final Process process;
    private final Path logFile;
    private final AotCache.Use aot;

    private JavaProcess(final String name, final Process process, final Path logFile, final AotCache.Use aot) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.aot = aot;
    }

    public static Builder builder(final String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Waits for a one-shot child to end and returns its exit code; kills it after {@code timeout}. */
    public int awaitExit(final Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(Duration.ZERO);
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see "
                        + logFile);
            }
            return process.exitValue();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Asks the child to stop (SIGTERM); after {@code grace} kills it and its descendants. Idempotent. */
    public void stop(final Duration grace) {
        requestStop();
        awaitStop(grace);
    }

    /** Sends SIGTERM without waiting, so that several children can stop at once. */
    public void requestStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Waits up to {@code grace} for the child to end after {@link #requestStop()}, then kills what is left. */
    public void awaitStop(final Duration grace) {
        final boolean trains = aot != null && aot.trains();
        final Duration wait = trains && grace.compareTo(TRAINING_EXIT_GRACE) < 0 ? TRAINING_EXIT_GRACE : grace;
        try {
            if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                if (trains) {
                    aot.keep();
                }
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the child's stdin, which is what the child sees when its parent dies. */
    public void closeParentPipe() {
        try {
            process.getOutputStream().close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    /**
     * Where the launcher's own classes are, so that children can run {@code ParentWatch}. Found by resource, not
     * by class literal: ParentWatch is compiled apart, for the oldest JDK a child runs on (see the pom).
     */
    static Path launcherCodeLocation() {
        final String resource = PARENT_WATCH.replace('.', '/') + ".class";
        final java.net.URL url = JavaProcess.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                final String path = url.getPath();
                return Path.of(new java.net.URI(path.substring(0, path.indexOf("!/"))));
            }
            Path root = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final String name;
        private Jdk jdk = Jdk.current();
        private final List<Path> classpath = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String mainClass;
        private Path logFile;
        private Path workingDirectory;
        private AotCache aotCache;

        private Builder(final String name) {
            this.name = name;
        }

        public Builder jdk(final Jdk value) {
            this.jdk = value;
            return this;
        }

        public Builder classpath(final List<Path> entries) {
            classpath.addAll(entries);
            return this;
        }

        public Builder jvmArgs(final String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        public Builder jvmArgs(final List<String> values) {
            jvmArgs.addAll(values);
            return this;
        }

        public Builder mainClass(final String value) {
            this.mainClass = value;
            return this;
        }

        public Builder args(final String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder environment(final String key, final String value) {
            environment.put(key, value);
            return this;
        }

        /** Where stdout and stderr go (appended). */
        public Builder logFile(final Path value) {
            this.logFile = value;
            return this;
        }

        public Builder workingDirectory(final Path value) {
            this.workingDirectory = value;
            return this;
        }

        /** Runs the child with an ahead-of-time cache from this directory, or trains one (see {@link AotCache}). */
        public Builder aotCache(final AotCache value) {
            this.aotCache = value;
            return this;
        }

        public JavaProcess start() {
            if (mainClass == null || logFile == null) {
                throw new IllegalStateException(name + ": mainClass and logFile are required");
            }
            final List<String> command = new ArrayList<>();
            command.add(jdk.java().toString());
            command.add("-Dmeterstream.child=" + name);
            command.addAll(jvmArgs);
            final List<Path> entries = new ArrayList<>();
            entries.add(launcherCodeLocation());
            entries.addAll(classpath);
            final AotCache.Use aot = aotCache == null ? null
                    : aotCache.forChild(name, jdk, jvmArgs, entries).orElse(null);
            if (aot != null) {
                command.addAll(aot.jvmArgs());
            }
            command.add("-cp");
            command.add(String.join(File.pathSeparator, entries.stream().map(Path::toString).toList()));
            command.add(PARENT_WATCH);
            command.add(mainClass);
            command.addAll(args);
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                final ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE);
                if (workingDirectory != null) {
                    builder.directory(workingDirectory.toFile());
                }
                builder.environment().putAll(environment);
                return new JavaProcess(name, builder.start(), logFile, aot);
            } catch (final IOException e) {
                throw new UncheckedIOException("could not start " + name + ": " + command.getFirst(), e);
            }
        }
    }
}
