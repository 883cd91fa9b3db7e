package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.PropertyPath;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two query-api instances (two readers and writers of the definitions topic) changing one meter at once. */
@ExtendWith(InfraExtension.class)
class MeterDefinitionsIT {
    private static final EventRules RULES = EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5));
    private static final int CHANGES_EACH = 12;

    @Test
    void twoInstancesChangingOneMeterShouldNeverMakeOneVersionTwice(final KafkaEndpoint kafka) throws Exception {
        final String tenant = "race-" + UUID.randomUUID().toString().substring(0, 8);
        try (MeterDefinitions first = MeterDefinitions.start(dev.meterstream.support.kafka.KafkaConnection.plain(kafka.bootstrapServers()), RULES);
             MeterDefinitions second = MeterDefinitions.start(dev.meterstream.support.kafka.KafkaConnection.plain(kafka.bootstrapServers()), RULES)) {
            final CyclicBarrier together = new CyclicBarrier(2);
            final CompletableFuture<Void> a = CompletableFuture.runAsync(() -> changes(first, tenant, "a", together));
            final CompletableFuture<Void> b = CompletableFuture.runAsync(() -> changes(second, tenant, "b", together));
            a.get();
            b.get();

            final List<StoredMeter> records = records(kafka, StoredMeter.key(tenant, "race"));
            assertEquals(2 * CHANGES_EACH, records.size(), "every put was another computation, so each wrote");
            for (int i = 0; i < records.size(); i++) {
                assertEquals(i + 1, records.get(i).version(), "the topic's records in order: " + versions(records));
            }
            assertEquals(records.getLast(), first.get(tenant, "race").orElseThrow());
            assertEquals(records.getLast(), second.get(tenant, "race").orElseThrow());
        }
    }

    /** Puts a new computation CHANGES_EACH times, each one different from whatever is stored. */
    private static void changes(final MeterDefinitions definitions, final String tenant, final String side,
                                final CyclicBarrier together) {
        for (int i = 0; i < CHANGES_EACH; i++) {
            try {
                together.await();
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
            final StoredMeter.Put put = definitions.put(tenant, new MeterDefinition("race", "event",
                    Aggregation.SUM, new PropertyPath(side + i), Map.of(), ""));
            assertFalse(put.outcome() == StoredMeter.Outcome.UNCHANGED, "each put is a new computation");
        }
    }

    private static List<StoredMeter> records(final KafkaEndpoint kafka, final String key) {
        final TopicPartition partition = new TopicPartition(Topics.METER_DEFINITIONS, 0);
        final List<StoredMeter> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end) {
                assertTrue(System.nanoTime() < deadline, "the definitions topic was not read to its end in 30 s");
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(key)) {
                        found.add(StoredMeterJson.read(record.value(), RULES));
                    }
                }
            }
        }
        return found;
    }

    private static List<Integer> versions(final List<StoredMeter> records) {
        return records.stream().map(StoredMeter::version).toList();
    }
}
