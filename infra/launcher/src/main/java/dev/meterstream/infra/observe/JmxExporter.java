package dev.meterstream.infra.observe;

import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.ServerClasspath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prometheus' JMX exporter ({@code io.prometheus.jmx:jmx_prometheus_javaagent}, resolved from Maven Central by
 * infra/kafka-runtime) as a Java agent in the brokers or in Cassandra, each node answering {@code /metrics} on its
 * own loopback port. What it exports is in the configuration ({@code deploy/prometheus/jmx/<server>.yml}): only the
 * MBeans the golden signals and the overview board read, so that a scrape stays cheap.
 *
 * @param config the exporter's rules
 * @param ports  one per node, in node order
 */
public record JmxExporter(Path config, List<Integer> ports) {
    public JmxExporter {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no JMX exporter configuration at " + config);
        }
        ports = List.copyOf(ports);
    }

    /** The exporter with the configuration for {@code server} ({@code kafka}, {@code cassandra}) and free ports. */
    public static JmxExporter forServer(final Path root, final String server, final int nodes) {
        return new JmxExporter(root.resolve("deploy/prometheus/jmx").resolve(server + ".yml"), Ports.free(nodes));
    }

    /** The JVM argument that loads the agent into node {@code node}. */
    public String jvmArg(final int node) {
        return "-javaagent:" + agentJar() + "=" + Ports.LOOPBACK + ":" + ports.get(node) + ":" + config;
    }

    /** The nodes' scrape addresses ({@code host:port}). */
    public List<String> targets() {
        return ports.stream().map(port -> Ports.LOOPBACK + ":" + port).toList();
    }

    private static Path agentJar() {
        return ServerClasspath.JMX_EXPORTER.entries().getFirst();
    }
}
