package dev.meterstream.infra.kafka;

import dev.meterstream.support.kafka.KafkaConnection;

/** A running Kafka cluster, however it was started (processes here, containers where Docker exists). */
public interface KafkaEndpoint extends AutoCloseable {
    /** Comma-separated host:port list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** How a client with full rights reaches it (the launcher's own, tests' fixtures); plaintext by default. */
    default KafkaConnection connection() {
        return KafkaConnection.plain(bootstrapServers());
    }

    /** Number of brokers; the replication factor topics can use. */
    int brokers();

    /** The {@code min.insync.replicas} the cluster is configured with (2 on 3 brokers, 1 on one). */
    default int minInSyncReplicas() {
        return brokers() >= 3 ? 2 : 1;
    }

    /** Replication factor for topics: 3 where there are 3 brokers or more, else the broker count. */
    default short replicationFactor() {
        return (short) Math.min(3, brokers());
    }

    @Override
    void close();
}
