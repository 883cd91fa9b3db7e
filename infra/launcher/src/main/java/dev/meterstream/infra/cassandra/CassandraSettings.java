package dev.meterstream.infra.cassandra;

import dev.meterstream.infra.observe.JmxExporter;
import dev.meterstream.infra.process.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a single local Cassandra node.
 *
 * @param dataDir         root of the node's data, commit log, caches and logs; kept across restarts
 * @param nativePort      CQL port
 * @param storagePort     internode port (nothing else connects to it, but it must be free)
 * @param heapMegabytes   heap size
 * @param quickStart      trade steady-state speed for start-up time: C1 only (about 2-3x the CPU per write); for
 *                        tests, never for benchmarks
 * @param javaHome        a JDK 11-17 to run it on; empty to find one (Cassandra 5.0 does not start on 24+)
 * @param jmxPort         JMX on the loopback address only (load runs flush and read table sizes through it); 0 for
 *                        none
 * @param metrics         the node's metrics for Prometheus ({@code /metrics} on a port of its own); empty: none
 * @param security        TLS on the CQL port, roles and grants ({@link CassandraSecurity}); empty: plaintext, no
 *                        authentication
 */
public record CassandraSettings(
        Path dataDir,
        int nativePort,
        int storagePort,
        int heapMegabytes,
        boolean quickStart,
        Optional<Path> javaHome,
        int jmxPort,
        Optional<CassandraSecurity> security,
        Optional<JmxExporter> metrics) {

    public static final int LOCAL_NATIVE_PORT = 9042;
    public static final int LOCAL_STORAGE_PORT = 7000;
    public static final int DEFAULT_HEAP_MEGABYTES = 2048;
    /** Environment variable naming the JDK to run Cassandra on. */
    public static final String JAVA_HOME_VARIABLE = "CASSANDRA_JAVA_HOME";

    public CassandraSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(metrics, "metrics");
        if (heapMegabytes < 256) {
            throw new IllegalArgumentException("heapMegabytes must be at least 256, was " + heapMegabytes);
        }
    }

    /**
     * Memtable space, on heap and off heap each: a quarter of the heap, as Cassandra's own default for the heap part
     * (its off-heap default is the same).
     */
    public int memtableMegabytes() {
        return heapMegabytes / 4;
    }

    /** The fixed ports ./dev up uses, full-speed JIT. */
    public static CassandraSettings local(final Path dataDir) {
        return new CassandraSettings(dataDir, LOCAL_NATIVE_PORT, LOCAL_STORAGE_PORT, DEFAULT_HEAP_MEGABYTES, false,
                javaHomeFromEnvironment(), 0, Optional.empty(), Optional.empty());
    }

    /** Free ports and quick start-up, for tests. */
    public static CassandraSettings ephemeral(final Path dataDir) {
        final List<Integer> ports = Ports.free(2);
        return new CassandraSettings(dataDir, ports.get(0), ports.get(1), 768, true, javaHomeFromEnvironment(), 0,
                Optional.empty(), Optional.empty());
    }

    /** The same node at full JIT speed (for benchmarks on free ports). */
    public CassandraSettings fullSpeed() {
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMegabytes, false, javaHome, jmxPort,
                security, metrics);
    }

    /** The same node with JMX on a free loopback port. */
    public CassandraSettings withJmx() {
        final int port = Ports.free(1).getFirst();
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMegabytes, quickStart, javaHome, port,
                security, metrics);
    }

    public CassandraSettings withSecurity(final CassandraSecurity value) {
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMegabytes, quickStart, javaHome, jmxPort,
                Optional.of(value), metrics);
    }

    /** The same node exporting its metrics to Prometheus ({@link JmxExporter}). */
    public CassandraSettings withMetrics(final JmxExporter value) {
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMegabytes, quickStart, javaHome, jmxPort,
                security, Optional.of(value));
    }

    public CassandraSettings withHeapMegabytes(final int value) {
        return new CassandraSettings(dataDir, nativePort, storagePort, value, quickStart, javaHome, jmxPort,
                security, metrics);
    }

    private static Optional<Path> javaHomeFromEnvironment() {
        return Optional.ofNullable(System.getenv(JAVA_HOME_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of);
    }
}
