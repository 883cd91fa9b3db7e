package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateBytes;
import dev.meterstream.event.WindowSize;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.support.kafka.ConsumerGroups;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateBytes;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.meter.PropertyPath;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor killed (SIGKILL, no clean close) in the middle of a stream with duplicates, then started again:
 * the canonical log must hold every distinct event exactly once with gap-free per-partition IDs, and the final
 * aggregates, and a defined meter's states (written by the processor's own pre-commit hook, not by Kafka Streams'
 * record cache), must equal those computed directly from the input.
 */
@ExtendWith(InfraExtension.class)
class ProcessorCrashIT {
    private static final String APPLICATION_ID = "crash-it";
    private static final int PARTITIONS = 4;
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(3);
    private final Random random = new Random(42);
    /** A SUM of the events' tokens of type meter-0, by model. */
    private static final StoredMeter TOKENS = new StoredMeter("acme", new MeterDefinition("tokens", "meter-0",
            Aggregation.SUM, PropertyPath.parse("$.tokens"), Map.of("model", PropertyPath.parse("$.model")), ""), 1,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, false);

    @Test
    void shouldProduceEveryDistinctEventOnceWithGapFreeIdsAndExactAggregatesAcrossAKill(
            final KafkaEndpoint kafka, @TempDir final Path stateDir) throws Exception {
        final Map<String, UsageEvent> distinct = new LinkedHashMap<>();
        final List<UsageEvent> sent = new ArrayList<>();
        final Instant base = Instant.now().minus(Duration.ofHours(3));

        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            ProcessorServer.createTopics(settings(kafka, stateDir));
            // Defined before any event: counted live from the first, nothing to backfill.
            producer.send(new ProducerRecord<>(Topics.METER_DEFINITIONS, TOKENS.key(), StoredMeterJson.bytes(TOKENS)));
            send(producer, batch(8_000, base, distinct, sent));

            JavaProcess processor = startProcessor(kafka, stateDir);
            try {
                // Killed once output is being written, whether or not it is committed yet: with a commit interval of
                // seconds, the kill lands with processed, uncommitted work (and open transactions) in flight.
                Await.until("the processor to be writing the log", Duration.ofSeconds(120),
                        () -> logEndOffsets(kafka, Topics.EVENTS) > 1_000 && logEndOffsets(kafka, Topics.AGGREGATES) > 0);
                processor.kill();

                send(producer, batch(8_000, base.plus(Duration.ofHours(1)), distinct, sent));
                processor = startProcessor(kafka, stateDir);
                final long total = sent.size();
                Await.until("the processor to consume all " + total + " raw records and its repartition topic",
                        Duration.ofSeconds(180), () -> committedInputOffsets(kafka) == total && caughtUp(kafka));

                final Map<String, Integer> partitions = assertLogHasEveryEventOnceWithGapFreeIds(kafka, distinct);
                final Map<String, WindowAggregate> expected = expectedAggregates(distinct, partitions);
                // Every aggregate, the shard rollups included, goes out with the commit that covers its events: once
                // the input is committed, the committed output holds them all, with no wait.
                assertAggregates(expected, kafka);
                assertMeterStates(distinct, kafka);
            } finally {
                processor.stop(Duration.ofSeconds(30));
            }
        }
    }

    /** Reads the committed log, checks it, and answers each event's partition (the shard of its rollups). */
    private static Map<String, Integer> assertLogHasEveryEventOnceWithGapFreeIds(
            final KafkaEndpoint kafka, final Map<String, UsageEvent> distinct) throws Exception {
        final List<ConsumerRecord<String, byte[]>> log = readCommitted(kafka, Topics.EVENTS);
        final Map<String, Integer> copies = new HashMap<>();
        final Map<Integer, List<Long>> sequences = new TreeMap<>();
        final Map<String, Integer> partitions = new HashMap<>();
        for (final ConsumerRecord<String, byte[]> record : log) {
            final SequencedEvent event = UsageEventBytes.readSequenced(record.value());
            copies.merge(event.event().key(), 1, Integer::sum);
            assertEquals(record.partition(), event.partition(), "an event's log partition is its ID's partition");
            sequences.computeIfAbsent(event.partition(), p -> new ArrayList<>()).add(event.sequence());
            partitions.put(event.event().key(), event.partition());
            assertEquals(distinct.get(event.event().key()), event.event(), "event " + event.id() + " intact");
        }
        assertEquals(distinct.size(), copies.size(), "every distinct event is in the log");
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "no event twice: " + copies.entrySet().stream()
                .filter(e -> e.getValue() > 1).limit(5).toList());
        sequences.forEach((partition, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i, ids.get(i), "partition " + partition + ": IDs dense, gap-free, in log order");
            }
        });
        return partitions;
    }

    private static Map<String, WindowAggregate> expectedAggregates(final Map<String, UsageEvent> distinct,
                                                                   final Map<String, Integer> partitions) {
        final Map<String, WindowAggregate> expected = new HashMap<>();
        for (final UsageEvent event : distinct.values()) {
            for (final WindowSize size : WindowSize.values()) {
                final WindowAggregate one = WindowAggregate.of(event, size);
                expected.merge(one.key(), one, (total, ignored) -> total.add(event));
                // Totals over all subjects, per raw partition (the shard is the partition of the event's log ID).
                final WindowAggregate shard = WindowAggregate.rollupOf(event, size, partitions.get(event.key()));
                expected.merge(shard.key(), shard, (total, ignored) -> total.add(event));
            }
        }
        return expected;
    }

    private static void assertAggregates(final Map<String, WindowAggregate> expected, final KafkaEndpoint kafka)
            throws Exception {
        final Map<String, WindowAggregate> latest = new HashMap<>();
        for (final ConsumerRecord<String, byte[]> record : readCommitted(kafka, Topics.AGGREGATES)) {
            latest.put(record.key(), WindowAggregateBytes.read(record.value()));
        }
        final List<String> missing = expected.keySet().stream().filter(k -> !latest.containsKey(k)).limit(5).toList();
        final List<String> extra = latest.keySet().stream().filter(k -> !expected.containsKey(k)).limit(5).toList();
        assertEquals(expected.size(), latest.size(), "aggregate keys; missing e.g. " + missing + ", extra e.g. " + extra);
        expected.forEach((key, want) -> {
            final WindowAggregate got = latest.get(key);
            assertEquals(want.count(), got.count(), key);
            assertEquals(0, want.sum().compareTo(got.sum()), key + ": sum " + want.sum() + " vs " + got.sum());
            assertEquals(0, want.min().compareTo(got.min()), key + ": min " + want.min() + " vs " + got.min());
            assertEquals(0, want.max().compareTo(got.max()), key + ": max " + want.max() + " vs " + got.max());
        });
    }

    /**
     * The meter's states as its changelog (the live states' output) finally holds them, merged over shards, against
     * the events: for all subjects by day and per subject by hour, the count and sum of tokens per model.
     */
    private static void assertMeterStates(final Map<String, UsageEvent> distinct, final KafkaEndpoint kafka)
            throws Exception {
        final Map<Bytes, byte[]> latest = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : readCommitted(kafka, Topics.liveMeterStates(APPLICATION_ID),
                new ByteArrayDeserializer())) {
            latest.put(Bytes.wrap(record.key()), record.value());
        }
        final Map<String, List<BigDecimal>> expected = new TreeMap<>();
        for (final UsageEvent event : distinct.values()) {
            if (event.meter().equals(TOKENS.definition().eventType())) {
                final BigDecimal tokens = new BigDecimal(event.properties().get("tokens"));
                final String model = event.properties().get("model");
                add(expected, "all " + WindowSize.DAY.start(event.timestamp()) + " " + model, 1, tokens);
                add(expected, event.subject() + " " + WindowSize.HOUR.start(event.timestamp()) + " " + model, 1,
                        tokens);
            }
        }
        final Map<String, List<BigDecimal>> actual = new TreeMap<>();
        final Map<MeterRecordKey.State, MeterState> byMeter = new LinkedHashMap<>();
        latest.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            switch (MeterRecordKey.read(key.get())) {
                case MeterRecordKey.State state -> byMeter.put(state, MeterStateBytes.read(value));
                case MeterRecordKey.TypeStates type -> byMeter.putAll(MeterTypeStates.read(value).byMeter(type));
                default -> {
                }
            }
        });
        byMeter.forEach((state, folded) -> {
            final MeterWindowKey window = state.window();
            final String model = window.groups().get("model");
            if (window.subject() == null && window.size() == WindowSize.DAY) {
                add(actual, "all " + window.windowStart() + " " + model, folded.count(), folded.number());
            } else if (window.subject() != null && window.size() == WindowSize.HOUR) {
                add(actual, window.subject() + " " + window.windowStart() + " " + model, folded.count(),
                        folded.number());
            }
        });
        assertTrue(expected.size() > 50, expected.size() + " windows and models");
        final List<String> wrong = new ArrayList<>();
        expected.forEach((key, want) -> {
            if (!want.equals(actual.get(key))) {
                wrong.add(key + ": " + actual.get(key) + ", the events hold " + want);
            }
        });
        actual.keySet().stream().filter(key -> !expected.containsKey(key)).forEach(key -> wrong.add(key + ": "
                + actual.get(key) + ", in no event"));
        assertTrue(wrong.isEmpty(), "the meter's states, merged over shards, against the events (count, sum): "
                + wrong.size() + " windows wrong of " + expected.size() + ", e.g. " + wrong.stream().limit(5).toList());
    }

    /** Adds {@code count} events summing {@code sum} to the (count, sum) total of {@code key}. */
    private static void add(final Map<String, List<BigDecimal>> totals, final String key, final long count,
                            final BigDecimal sum) {
        totals.merge(key, List.of(BigDecimal.valueOf(count), sum),
                (a, b) -> List.of(a.get(0).add(b.get(0)), a.get(1).add(b.get(1))));
    }

    /** {@code count} raw records: mostly new events, one in ten a copy of an event sent before. */
    private List<UsageEvent> batch(final int count, final Instant from, final Map<String, UsageEvent> distinct,
                                   final List<UsageEvent> sent) {
        final List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final UsageEvent event;
            if (!distinct.isEmpty() && random.nextInt(10) == 0) {
                final List<UsageEvent> known = new ArrayList<>(distinct.values());
                event = known.get(random.nextInt(known.size()));
            } else {
                final Instant time = from.plusMillis(random.nextInt(3_600_000));
                final Map<String, String> properties = new HashMap<>();
                properties.put("tokens", Integer.toString(random.nextInt(1000)));
                if (random.nextInt(4) > 0) {
                    properties.put("model", "m-" + random.nextInt(3));
                }
                event = new UsageEvent("acme", "e-" + distinct.size(), "subject-" + random.nextInt(20),
                        "meter-" + random.nextInt(3), random.nextInt(1000) / 100.0, time, properties, Instant.now());
                distinct.put(event.key(), event);
            }
            batch.add(event);
        }
        sent.addAll(batch);
        return batch;
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final List<UsageEvent> events) {
        for (final UsageEvent event : events) {
            producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
        }
        producer.flush();
    }

    private static ProcessorSettings settings(final KafkaEndpoint kafka, final Path stateDir) {
        return ProcessorSettings.defaults(APPLICATION_ID, kafka.bootstrapServers(), stateDir)
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(100)).withCacheMaxBytes(10 * 1024 * 1024).withRawPartitions(PARTITIONS);
    }

    private static JavaProcess startProcessor(final KafkaEndpoint kafka, final Path stateDir) {
        return ProcessorProcess.start("stream-processor-it", kafka, stateDir, "processor.application-id="
                + APPLICATION_ID, "topics.raw-partitions=" + PARTITIONS, "sink.enabled=false",
                // A long commit interval leaves seconds of processed, uncommitted work for the kill to hit.
                "processor.commit-interval=" + COMMIT_INTERVAL);
    }

    private static KafkaProducer<String, byte[]> producer(final KafkaEndpoint kafka) {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** The sum of the application's committed offsets on the raw topic. */
    private static long committedInputOffsets(final KafkaEndpoint kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return ConsumerGroups.committed(admin, APPLICATION_ID, Topics.RAW);
        }
    }

    /** The sum of a topic's log end offsets, uncommitted transactional records included. */
    private static long logEndOffsets(final KafkaEndpoint kafka, final String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    /** Whether the application has committed offsets at the end of every partition it consumes. */
    private static boolean caughtUp(final KafkaEndpoint kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return ConsumerGroups.caughtUp(admin, APPLICATION_ID,
                    List.of(Topics.RAW, Topics.bySeriesRepartition(APPLICATION_ID)));
        }
    }

    /** Every committed record of a topic, read to its end. */
    private static List<ConsumerRecord<String, byte[]>> readCommitted(final KafkaEndpoint kafka, final String topic)
            throws Exception {
        return readCommitted(kafka, topic, new StringDeserializer());
    }

    private static <K> List<ConsumerRecord<K, byte[]>> readCommitted(final KafkaEndpoint kafka, final String topic,
                                                                    final org.apache.kafka.common.serialization
                                                                            .Deserializer<K> keys)
            throws Exception {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final List<ConsumerRecord<K, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(config, keys, new ByteArrayDeserializer());
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                            tp -> OffsetSpec.latest())), new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                    IsolationLevel.READ_COMMITTED))
                    .all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
