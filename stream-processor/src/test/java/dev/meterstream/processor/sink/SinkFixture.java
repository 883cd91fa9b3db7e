package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.support.kafka.ConsumerGroups;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.processor.ProcessorServer;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.processor.topology.UsageTopology;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.cassandra.CqlSchema;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
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

/**
 * What the sink ITs share: input events with duplicates, the real processor (in this JVM, sink off) turning them
 * into the log and aggregates, sinks started with given settings, and the waits on consumer-group progress.
 */
final class SinkFixture implements AutoCloseable {
    static final String PROCESSOR = "sink-it-processor";
    static final int PARTITIONS = 4;

    private final KafkaEndpoint kafka;
    private final Path stateDir;
    private final Random random = new Random(7);
    private final Map<String, UsageEvent> distinct = new LinkedHashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final ProcessorServer processor;
    private long sent;

    SinkFixture(final KafkaEndpoint kafka, final Path stateDir) {
        this.kafka = kafka;
        this.stateDir = stateDir;
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        processor = ProcessorServer.start(Config.just(ConfigSources.create(Map.of("host", "127.0.0.1", "port", "0"))),
                processorSettings(), disabledSink(), () -> { });
    }

    ProcessorSettings processorSettings() {
        return ProcessorSettings.defaults(PROCESSOR, kafka.bootstrapServers(), stateDir)
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(200)).withCacheMaxBytes(10 * 1024 * 1024).withRawPartitions(PARTITIONS);
    }

    /**
     * Sends {@code count} raw records over the three days up to now: mostly new events, one in ten a copy of an
     * earlier one.
     */
    void send(final int count) {
        final Instant base = Instant.now().minus(Duration.ofDays(3));
        final List<UsageEvent> known = new ArrayList<>(distinct.values());
        for (int i = 0; i < count; i++) {
            final UsageEvent event;
            if (!known.isEmpty() && random.nextInt(10) == 0) {
                event = known.get(random.nextInt(known.size()));
            } else {
                final String tenant = random.nextBoolean() ? "acme" : "globex";
                event = new UsageEvent(tenant, "e-" + distinct.size(), "subject-" + random.nextInt(25),
                        "meter-" + random.nextInt(3), random.nextInt(10_000) / 100.0,
                        base.plusNanos(random.nextLong(Duration.ofDays(3).toNanos())),
                        random.nextInt(5) == 0 ? Map.of("region", "eu-" + random.nextInt(3)) : Map.of(),
                        Instant.now());
                distinct.put(event.key(), event);
                known.add(event);
            }
            producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
        }
        producer.flush();
        sent += count;
    }

    /** Sends one raw record as another producer might have written it (counted as sent, never as distinct). */
    void sendRaw(final String key, final byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.RAW, key, value)).get();
        sent++;
    }

    /** Writes a record straight to a topic the processor owns, as a buggy or foreign writer would. */
    void sendStraightTo(final String topic, final int partition, final String key, final byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    Map<String, UsageEvent> distinct() {
        return distinct;
    }

    /** True once the processor has committed every raw record sent and its repartition topic. */
    boolean processed() throws Exception {
        return ConsumerGroups.committed(admin, PROCESSOR, Topics.RAW) == sent
                && ConsumerGroups.caughtUp(admin, PROCESSOR,
                        List.of(Topics.RAW, Topics.bySeriesRepartition(PROCESSOR)));
    }

    /** True once the group has committed the ends of the log and the aggregates topic. */
    boolean written(final String group) throws Exception {
        return ConsumerGroups.committed(admin, group, Topics.EVENTS) == ends(Topics.EVENTS)
                && ConsumerGroups.committed(admin, group, Topics.AGGREGATES) == ends(Topics.AGGREGATES)
                && ConsumerGroups.caughtUp(admin, group, List.of(Topics.EVENTS, Topics.AGGREGATES));
    }

    long committed(final String group) throws Exception {
        return ConsumerGroups.committed(admin, group, Topics.EVENTS)
                + ConsumerGroups.committed(admin, group, Topics.AGGREGATES);
    }

    private long ends(final String topic) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    /** Each distinct event's log ID (partition, sequence), read from the canonical log. */
    Map<String, long[]> logIds() {
        final Map<String, long[]> ids = new HashMap<>();
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(Topics.EVENTS, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    final SequencedEvent event = UsageEventBytes.readSequenced(record.value());
                    ids.put(event.event().key(), new long[] {event.partition(), event.sequence()});
                }
            }
        }
        return ids;
    }

    static SinkSettings sinkSettings(final CassandraEndpoint cassandra, final String keyspace, final String group,
                                     final int maxBufferedRecords) {
        return new SinkSettings(true, group, new CqlConnection(List.of(cassandra.contactPoint()),
                cassandra.datacenter(), CqlSchema.Keyspace.local(keyspace), DefaultConsistencyLevel.ONE,
                Duration.ofSeconds(5)), Duration.ofMillis(200), maxBufferedRecords, 64, 50, true, 3,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), 1, Duration.ofMillis(100),
                Duration.ofSeconds(45));
    }

    CassandraSink startSink(final SinkSettings settings, final CassandraSink.BeforeCommit beforeCommit) {
        return CassandraSink.start(settings, dev.meterstream.support.kafka.KafkaConnection.plain(kafka.bootstrapServers()), PROCESSOR,
                Topics.bySeriesRepartition(processorSettings().applicationId()), new SinkMetrics(Metrics.globalRegistry()),
                beforeCommit, () -> { });
    }

    private static SinkSettings disabledSink() {
        return new SinkSettings(false, "unused", new CqlConnection(List.of(
                java.net.InetSocketAddress.createUnresolved("127.0.0.1", 9)), "unused",
                CqlSchema.Keyspace.local("unused"), DefaultConsistencyLevel.ONE, Duration.ofSeconds(1)),
                Duration.ofSeconds(1), 1, 1, 1, false, 1, Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofSeconds(1), 1, Duration.ofMillis(1), Duration.ofSeconds(45));
    }

    @Override
    public void close() {
        processor.close();
        producer.close();
        admin.close();
    }
}
