package dev.meterstream.infra.junit;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import java.net.InetSocketAddress;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same parts as containers, for machines with a Docker engine ({@code -Dinfra=testcontainers}). This machine
 * kind has none, so this path is compiled but not exercised here; a single broker only (a three-node KRaft quorum
 * needs the process launcher).
 */
final class ContainerInfra implements InfraProvider {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
    static final String CASSANDRA_IMAGE = "cassandra:5.0";

    @Override
    public KafkaEndpoint kafka(final int brokers) {
        if (brokers != 1) {
            throw new UnsupportedOperationException("-Dinfra=testcontainers runs one broker; " + brokers
                    + " brokers need the process launcher (-Dinfra=process)");
        }
        final KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new KafkaEndpoint() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public int brokers() {
                return 1;
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    @Override
    public CassandraEndpoint cassandra() {
        final CassandraContainer container = new CassandraContainer(CASSANDRA_IMAGE);
        container.start();
        return new CassandraEndpoint() {
            @Override
            public InetSocketAddress contactPoint() {
                return container.getContactPoint();
            }

            @Override
            public String datacenter() {
                return container.getLocalDatacenter();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
