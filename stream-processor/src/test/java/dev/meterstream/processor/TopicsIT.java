package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every topic's settings are explicit and checked on real brokers: the processor creates its topics with the
 * retention, cleanup and replication the system needs, refuses to start on an existing topic that is weaker, and
 * reports not ready once unprocessed raw records come near the raw topic's retention.
 */
@ExtendWith(InfraExtension.class)
class TopicsIT {
    @Test
    void shouldCreateEveryTopicWithExplicitRetentionAndReplication(final KafkaEndpoint kafka,
                                                                   @TempDir final Path stateDir) {
        final ProcessorSettings settings = settings(kafka, stateDir);
        ProcessorServer.createTopics(settings);
        try (Admin admin = admin(kafka)) {
            final Config raw = config(admin, Topics.RAW);
            assertEquals(Long.toString(settings.rawRetention().toMillis()),
                    raw.get(TopicConfig.RETENTION_MS_CONFIG).value());
            final Config events = config(admin, Topics.EVENTS);
            assertEquals("-1", events.get(TopicConfig.RETENTION_MS_CONFIG).value());
            assertEquals("-1", events.get(TopicConfig.RETENTION_BYTES_CONFIG).value());
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT,
                    config(admin, Topics.AGGREGATES).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("-1", config(admin, Topics.DEAD_LETTERS).get(TopicConfig.RETENTION_MS_CONFIG).value());
            final TopicSetup.Replication replication = TopicSetup.Replication.forBrokers(kafka.brokers());
            for (final String topic : List.of(Topics.RAW, Topics.EVENTS, Topics.AGGREGATES, Topics.DEAD_LETTERS)) {
                assertEquals(Integer.toString(replication.minInSync()),
                        config(admin, topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), topic);
            }
            // Kafka Streams' internal topics get the same replication, set explicitly.
            assertEquals((int) replication.factor(), settings.streamsConfig(replication).get("replication.factor"));
        }
    }

    @Test
    void shouldRefuseToStartOnAnExistingTopicWithWeakerSettings(final KafkaEndpoint kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic("weak-raw", 2, kafka.replicationFactor())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis()),
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            final TopicSpec spec = new TopicSpec("weak-raw", 2, false, TopicSpec.raw(2, Duration.ofDays(7))
                    .configs());
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> TopicSetup.ensure(admin, spec));
            assertTrue(refused.getMessage().contains("retention.ms is 86400000, needs at least 604800000"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("cleanup.policy is compact, needs delete"),
                    refused.getMessage());
            // The same topic with the settings it needs is taken as it is.
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "weak-raw"), List.of(
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            TopicConfig.RETENTION_MS_CONFIG, "-1"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
            assertEquals(2, TopicSetup.ensure(admin, spec));
        }
    }

    @Test
    void shouldTurnNotReadyWhileRawRecordsNearTheRetentionAreUnprocessed(final KafkaEndpoint kafka,
                                                                        @TempDir final Path stateDir)
            throws Exception {
        final ProcessorSettings settings = settings(kafka, stateDir);
        ProcessorServer.createTopics(settings);
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = admin(kafka);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                     new ByteArraySerializer())) {
            // A record written 4 days ago (the alarm is at half of 7 days) that group "lag-it" has not read.
            final long fourDaysAgo = Instant.now().minus(Duration.ofDays(4)).toEpochMilli();
            producer.send(new ProducerRecord<>(Topics.RAW, 0, fourDaysAgo, "acme/old",
                    "{}".getBytes(StandardCharsets.UTF_8))).get();
            final RawLagCheck.Status behind = new RawLagCheck(admin, "lag-it", settings.lagAlarm(),
                    Clock.systemUTC()).status();
            assertFalse(behind.ok());
            assertTrue(behind.detail().contains("raw records older than PT84H are not processed yet"),
                    behind.detail());

            // Once the group has committed past it, ready again.
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.RAW)).allTopicNames().get().get(Topics.RAW).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.RAW, p.partition()), OffsetSpec.latest()));
            final Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) ->
                    ends.put(partition, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets("lag-it", ends).all().get();
            final RawLagCheck.Status caughtUp = new RawLagCheck(admin, "lag-it", settings.lagAlarm(),
                    Clock.systemUTC()).status();
            assertTrue(caughtUp.ok(), caughtUp.detail());
        }
    }

    private static ProcessorSettings settings(final KafkaEndpoint kafka, final Path stateDir) {
        return ProcessorSettings.defaults("topics-it", kafka.bootstrapServers(), stateDir)
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(200)).withCacheMaxBytes(1024 * 1024).withRawPartitions(4);
    }

    private static Admin admin(final KafkaEndpoint kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    /**
     * The topic's settings, once a broker can answer for it: on a cluster of several brokers, the one asked may not
     * know a topic created a moment ago yet (UnknownTopicOrPartitionException), so the read waits for that.
     */
    private static Config config(final Admin admin, final String topic) {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Await.untilValue("the settings of " + topic + " to be readable", Duration.ofSeconds(30),
                () -> admin.describeConfigs(List.of(resource)).all().get().get(resource));
    }
}
