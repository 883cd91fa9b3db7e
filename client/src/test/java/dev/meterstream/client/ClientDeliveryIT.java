package dev.meterstream.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import dev.meterstream.ingest.IngestServer;
import dev.meterstream.ingest.IngestSettings;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.processor.topology.ProcessorMetrics;
import dev.meterstream.processor.topology.UsageTopology;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real ingest-api on a real broker that goes down while events are sent: every event the
 * client reports delivered is counted exactly once, and no event twice, by the processor's own topology run over
 * everything the raw topic holds (in a TopologyTestDriver). The outage makes the client retry with the same ids, and
 * its small buffer makes the sender wait instead of queueing without bound.
 */
class ClientDeliveryIT {
    private static final int EVENTS = 3000;

    @Test
    void shouldDeliverEveryEventThroughABrokerOutageAndHaveEachDeliveredOneCountedOnce(@TempDir final Path dir)
            throws Exception {
        final String key = ApiKeys.generateKey();
        final Path keys = Files.writeString(dir.resolve("keys"), ApiKeys.sha256(key) + " acme\n");
        final List<CompletableFuture<Delivery>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<String> invalid = ConcurrentHashMap.newKeySet();
        final Hooks hooks = new Hooks();
        try (KafkaCluster cluster = KafkaCluster.start(KafkaSettings.ephemeral(1, dir.resolve("kafka")))) {
            final Config config = ServiceConfig.defaults(IngestSettings.DEFAULTS, Map.of("server.port", "0",
                    ServiceConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(), "auth.keys-file", keys.toString()));
            try (IngestServer ingest = IngestServer.start(config.get("server"), IngestSettings.from(config));
                 MeterstreamClient client = MeterstreamClient.builder(URI.create("http://127.0.0.1:" + ingest.port()),
                                 key)
                         .maxBatchEvents(50).linger(Duration.ofMillis(5)).maxBufferedEvents(300)
                         .maxInFlightRequests(3).deliveryTimeout(Duration.ofSeconds(150))
                         .backoff(Duration.ofMillis(50), Duration.ofSeconds(2)).compressAbove(1024)
                         .listener(hooks).build()) {
                final Thread producer = new Thread(() -> {
                    for (int i = 0; i < EVENTS; i++) {
                        UsageEvent event = UsageEvent.of("subject-" + (i % 17), "api-calls").withQuantity(i % 5 + 1)
                                .withTimestamp(Instant.now().minusSeconds(5));
                        if (i % 100 == 99) {
                            event = event.withId("invalid-" + i).withQuantity(BigDecimal.valueOf(-1));
                            invalid.add(event.id());
                        } else if (i % 10 == 0) {
                            event = event.withId("twice-" + i);
                            sent.add(client.send(event)); // the application sends it again: still one event
                        }
                        sent.add(client.send(event));
                    }
                }, "producer");
                producer.start();
                Await.until("a first thousand events to be delivered", Duration.ofSeconds(60),
                        () -> hooks.delivered.get() >= 1000);
                cluster.stop(0);
                Await.until("the client to retry and the producer to wait for room", Duration.ofSeconds(60),
                        () -> hooks.retries.get() > 0 && hooks.blocked.get() > 0);
                cluster.restart(0);
                producer.join(Duration.ofSeconds(180).toMillis());
                assertTrue(!producer.isAlive(), "the producer finished sending");
                client.flush();
            }
            final Map<String, Delivery> delivered = new HashMap<>();
            final Set<String> rejected = new HashSet<>();
            final List<Throwable> failed = new ArrayList<>();
            for (final CompletableFuture<Delivery> delivery : sent) {
                assertTrue(delivery.isDone(), "close completes every future");
                try {
                    final Delivery done = delivery.join();
                    delivered.put(done.id(), done);
                } catch (final java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof EventRejectedException refused) {
                        rejected.add(refused.id());
                        assertEquals("quantity", refused.violations().getFirst().field(), refused.toString());
                    } else {
                        failed.add(e.getCause());
                    }
                }
            }
            assertEquals(List.of(), failed, "nothing fails within the delivery timeout");
            assertEquals(invalid, rejected, "exactly the invalid events are rejected, item by item");
            assertEquals(EVENTS - invalid.size(), delivered.size());

            final Map<String, Integer> counted = countedByTheTopology(cluster.bootstrapServers(), dir);
            System.out.printf("client: %d delivered, %d rejected, %d retries, %d waits for room; topology counted %d"
                    + " distinct events%n", delivered.size(), rejected.size(), hooks.retries.get(), hooks.blocked.get(),
                    counted.size());
            for (final String id : delivered.keySet()) {
                assertEquals(1, counted.getOrDefault(id, 0), "delivered event " + id + " is counted once");
            }
            assertEquals(delivered.keySet(), counted.keySet(), "nothing else is counted");
            assertTrue(hooks.retries.get() > 0 && hooks.blocked.get() > 0);
        }
    }

    /** How often the processor's topology emits each event id into the event log, from all of the raw topic. */
    private static Map<String, Integer> countedByTheTopology(final String bootstrapServers, final Path dir) {
        final ProcessorSettings settings = ProcessorSettings.defaults("client-it", bootstrapServers,
                        dir.resolve("state")).withStreamThreads(1).withRawPartitions(1);
        final Map<String, Integer> counted = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(UsageTopology.build(settings.topology(),
                new ProcessorMetrics(Metrics.globalRegistry())), settings.streamsConfig(), Instant.now());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers))) {
            final TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.RAW, new StringSerializer(),
                    new ByteArraySerializer());
            final TestOutputTopic<String, byte[]> events = driver.createOutputTopic(Topics.EVENTS,
                    new StringDeserializer(), new ByteArrayDeserializer());
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.RAW).stream()
                    .map(info -> new TopicPartition(Topics.RAW, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Await.until("the raw topic to be read to its end", Duration.ofSeconds(60), () -> {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    raw.pipeInput(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp()));
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            events.readValuesToList().forEach(value -> counted.merge(
                    UsageEventBytes.readSequenced(value).event().id(), 1, Integer::sum));
        }
        return counted;
    }

    private static Properties consumerConfig(final String bootstrapServers) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /** Counts what the client reports through its hooks. */
    private static final class Hooks implements ClientListener {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger blocked = new AtomicInteger();

        @Override
        public void delivered(final int events) {
            delivered.addAndGet(events);
        }

        @Override
        public void retrying(final int events, final int attempt, final String reason, final Duration delay) {
            retries.incrementAndGet();
        }

        @Override
        public void blocked(final Duration waited) {
            blocked.incrementAndGet();
        }
    }
}
