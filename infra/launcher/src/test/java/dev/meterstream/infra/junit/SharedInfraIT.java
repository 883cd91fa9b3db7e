package dev.meterstream.infra.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.support.cassandra.CqlSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared parts the fixture gives every integration test: a 3-broker cluster and a Cassandra node. */
@ExtendWith(InfraExtension.class)
class SharedInfraIT {
    @Test
    void threeBrokerClusterShouldRoundTripRecordsOnATopicWithReplicationFactorThree(
            @Brokers(3) final KafkaEndpoint kafka) throws Exception {
        assertEquals(3, kafka.brokers());
        final String topic = "round-trip-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, kafka.replicationFactor())
                    .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                            Integer.toString(kafka.minInSyncReplicas()))))).all().get();
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            description.partitions().forEach(partition -> {
                assertEquals(3, partition.replicas().size(), "replicas of " + partition);
                assertEquals(3, partition.isr().size(), "in-sync replicas of " + partition);
            });
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals("2", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        }

        final Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        final List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                final String value = "record-" + i;
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)).get();
                sent.add(value);
            }
        }

        final Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
            }
        }
        assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList());
    }

    @Test
    void cassandraShouldRoundTripARowAndApplyTheSchemaIdempotently(final CassandraEndpoint cassandra) {
        final CqlSchema.Keyspace keyspace = CqlSchema.Keyspace.local("fixture_check");
        try (CqlSession session = cassandra.openSession()) {
            final int migrations = CqlSchema.migrations().size();
            assertEquals(migrations, CqlSchema.apply(session, keyspace));
            assertEquals(0, CqlSchema.apply(session, keyspace), "a second apply must change nothing");
            assertEquals(CqlSchema.migrations().stream().map(CqlSchema.Migration::version).toList(),
                    CqlSchema.appliedVersions(session, keyspace));

            session.execute("CREATE TABLE IF NOT EXISTS fixture_check.round_trip (id uuid PRIMARY KEY, value text)");
            final UUID id = UUID.randomUUID();
            session.execute("INSERT INTO fixture_check.round_trip (id, value) VALUES (?, ?)", id, "hello");
            final Row row = session.execute("SELECT value FROM fixture_check.round_trip WHERE id = ?", id).one();
            assertTrue(row != null, "row written must be read back");
            assertEquals("hello", row.getString("value"));
        }
    }
}
