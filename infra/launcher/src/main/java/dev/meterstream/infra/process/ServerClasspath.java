package dev.meterstream.infra.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The classpath of a server the launcher starts, as recorded at build time by the infra runtime modules
 * (infra/kafka-runtime, infra/cassandra-runtime) in {@code META-INF/meterstream/<server>.classpath}: the jars
 * Maven resolved from Maven Central into the local repository.
 */
public enum ServerClasspath {
    KAFKA("kafka-broker"),
    CASSANDRA("cassandra"),
    /** Not a server: the Java agent that exports a server's JMX metrics to Prometheus (one jar). */
    JMX_EXPORTER("jmx-exporter");

    private final String resource;

    ServerClasspath(final String name) {
        this.resource = "META-INF/meterstream/" + name + ".classpath";
    }

    public List<Path> entries() {
        try (InputStream in = ServerClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath; build the infra modules first"
                        + " (./mvnw -pl infra/launcher -am package)");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            final List<Path> entries = Arrays.stream(text.split(java.io.File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .toList();
            final List<Path> missing = entries.stream().filter(entry -> !Files.exists(entry)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(resource + " names jars that are gone (first: " + missing.getFirst()
                        + "); rebuild with ./mvnw package");
            }
            return entries;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
