package dev.meterstream.infra.junit;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.kafka.KafkaSettings;

/** Real broker and Cassandra JVMs on free loopback ports, with data under the module's target/infra. */
final class ProcessInfra implements InfraProvider {
    @Override
    public KafkaEndpoint kafka(final int brokers) {
        return KafkaCluster.start(KafkaSettings.ephemeral(brokers, TestDirectories.create("kafka-" + brokers)));
    }

    @Override
    public CassandraEndpoint cassandra() {
        return CassandraNode.start(CassandraSettings.ephemeral(TestDirectories.create("cassandra")));
    }
}
