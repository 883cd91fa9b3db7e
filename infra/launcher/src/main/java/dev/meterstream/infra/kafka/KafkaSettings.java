package dev.meterstream.infra.kafka;

import dev.meterstream.infra.observe.JmxExporter;
import dev.meterstream.infra.process.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a local KRaft cluster: every node is a combined broker and controller, so 1 node is a quorum of 1
 * and 3 nodes are a quorum of 3 (tolerating one loss). Node {@code i} listens for clients on
 * {@code brokerPorts[i]} and for the quorum on {@code controllerPorts[i]}, both on 127.0.0.1.
 *
 * @param brokers         number of nodes, at least 1
 * @param brokerPorts     client (PLAINTEXT) port of each node
 * @param controllerPorts quorum (CONTROLLER) port of each node
 * @param dataDir         root of the nodes' logs and data; kept across restarts
 * @param heapMegabytes   heap of each node
 * @param overrides       extra server.properties entries applied to every node, last
 * @param metrics         each broker's metrics for Prometheus ({@code /metrics} on a port of its own); empty: none
 * @param security        TLS, SCRAM and ACLs on every listener (see {@link KafkaSecurity}); empty: plaintext, no
 *                        authentication, as ./dev up and the tests run by default
 */
public record KafkaSettings(
        int brokers,
        List<Integer> brokerPorts,
        List<Integer> controllerPorts,
        Path dataDir,
        int heapMegabytes,
        Map<String, String> overrides,
        Optional<KafkaSecurity> security,
        Optional<JmxExporter> metrics) {

    /** First client port of {@link #local}; node i uses 9092 + 10 i, its controller one more. */
    public static final int LOCAL_FIRST_PORT = 9092;
    public static final int DEFAULT_HEAP_MEGABYTES = 512;

    public KafkaSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(metrics, "metrics");
        if (metrics.isPresent() && metrics.get().ports().size() != brokers) {
            throw new IllegalArgumentException("need one metrics port per broker (" + brokers + "), got "
                    + metrics.get().ports());
        }
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
        }
        if (brokerPorts.size() != brokers || controllerPorts.size() != brokers) {
            throw new IllegalArgumentException("need one broker port and one controller port per broker (" + brokers
                    + "), got " + brokerPorts + " and " + controllerPorts);
        }
        if (heapMegabytes < 128) {
            throw new IllegalArgumentException("heapMegabytes must be at least 128, was " + heapMegabytes);
        }
        brokerPorts = List.copyOf(brokerPorts);
        controllerPorts = List.copyOf(controllerPorts);
        overrides = Map.copyOf(overrides);
    }

    /** The fixed ports ./dev up uses: 9092/9093 for node 0, 9102/9103 for node 1, 9112/9113 for node 2. */
    public static KafkaSettings local(final int brokers, final Path dataDir) {
        final List<Integer> broker = new ArrayList<>();
        final List<Integer> controller = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            broker.add(LOCAL_FIRST_PORT + 10 * i);
            controller.add(LOCAL_FIRST_PORT + 10 * i + 1);
        }
        return new KafkaSettings(brokers, broker, controller, dataDir, DEFAULT_HEAP_MEGABYTES, Map.of(),
                Optional.empty(), Optional.empty());
    }

    /** Free ephemeral ports, so tests never collide with a running ./dev up or with each other. */
    public static KafkaSettings ephemeral(final int brokers, final Path dataDir) {
        final List<Integer> ports = Ports.free(2 * brokers);
        return new KafkaSettings(brokers, ports.subList(0, brokers), ports.subList(brokers, 2 * brokers), dataDir,
                DEFAULT_HEAP_MEGABYTES, Map.of(), Optional.empty(), Optional.empty());
    }

    public KafkaSettings withOverrides(final Map<String, String> values) {
        return new KafkaSettings(brokers, brokerPorts, controllerPorts, dataDir, heapMegabytes, values, security,
                metrics);
    }

    public KafkaSettings withHeapMegabytes(final int value) {
        return new KafkaSettings(brokers, brokerPorts, controllerPorts, dataDir, value, overrides, security, metrics);
    }

    public KafkaSettings withSecurity(final KafkaSecurity value) {
        return new KafkaSettings(brokers, brokerPorts, controllerPorts, dataDir, heapMegabytes, overrides,
                Optional.of(value), metrics);
    }

    /** The same cluster with each broker exporting its metrics to Prometheus ({@link JmxExporter}). */
    public KafkaSettings withMetrics(final JmxExporter value) {
        return new KafkaSettings(brokers, brokerPorts, controllerPorts, dataDir, heapMegabytes, overrides, security,
                Optional.of(value));
    }

    public short replicationFactor() {
        return (short) Math.min(3, brokers);
    }

    public int minInSyncReplicas() {
        return brokers >= 3 ? 2 : 1;
    }
}
