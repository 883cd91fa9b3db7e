package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The group-lag gauges count what the brokers hold: records not committed by the group, on every partition, a
 * partition never committed from its start (as a dead member's partitions are, for a member that cannot see them);
 * measured at most once a second; -1 when the brokers cannot be asked.
 */
@ExtendWith(InfraExtension.class)
class GroupLagGaugesIT {
    private static final String TOPIC = "group-lag-it";
    private static final String GROUP = "group-lag-it-group";

    @Test
    void shouldCountTheWholeGroupsUncommittedRecordsOnceASecondAndMinusOneWithoutBrokers(final KafkaEndpoint kafka)
            throws Exception {
        final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
        final Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        try {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
            final Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, i % 2, "k", "v" + i)).get();
                }
            }
            final GroupLagGauges.Measured lag = new GroupLagGauges.Measured(admin, clock, GROUP, List.of(TOPIC));
            assertEquals(10, lag.records(), "nothing committed: every record of both partitions");

            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)))
                    .all().get();
            clock.advance(Duration.ofMillis(500));
            assertEquals(10, lag.records(), "measured again only after a second");
            clock.advance(Duration.ofMillis(600));
            assertEquals(7, lag.records(), "2 left on partition 0, partition 1 never committed: 5");

            admin.close();
            clock.advance(Duration.ofMillis(1100));
            assertEquals(-1, lag.records(), "the brokers cannot be asked");
        } finally {
            admin.close();
        }
    }
}
