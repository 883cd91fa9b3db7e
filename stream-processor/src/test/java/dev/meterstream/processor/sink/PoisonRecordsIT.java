package dev.meterstream.processor.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that no client of the edge could have sent, written straight to Kafka by someone else: the processor
 * dead-letters a raw record it must not count (an event time before 1970, which no window can hold), the sink
 * dead-letters a log record the views cannot hold exactly (text with an unpaired surrogate, which has no UTF-8
 * form: the driver could not encode it as text, and the event rows' blob would write it as '?'), and everything
 * else flows on into exact views. Before, the first crash-looped the stream thread and
 * the second killed the sink thread, freezing every tenant's views.
 */
@ExtendWith(InfraExtension.class)
class PoisonRecordsIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void shouldDeadLetterPoisonRecordsAndKeepTheViewsExact(final KafkaEndpoint kafka,
                                                           final CassandraEndpoint cassandra,
                                                           @TempDir final Path stateDir) throws Exception {
        try (SinkFixture fixture = new SinkFixture(kafka, stateDir);
             CqlSession session = cassandra.openSession()) {
            fixture.send(200);
            fixture.sendRaw("acme/poison-1969", """
                    {"tenant":"acme","id":"poison-1969","subject":"s","meter":"m","quantity":1,
                     "timestamp":"1969-12-31T23:59:59Z","receivedAt":"1970-01-01T00:00:00Z"}"""
                    .getBytes(StandardCharsets.UTF_8));
            fixture.sendStraightTo(Topics.EVENTS, 0, "acme/poison-surrogate", """
                    {"tenant":"acme","id":"poison-surrogate","subject":"s","meter":"m","quantity":1,
                     "timestamp":"2026-11-23T12:00:00Z","properties":{"k":"x\\udc00"},
                     "receivedAt":"2026-11-23T12:00:00Z","partition":0,"sequence":999999}"""
                    .getBytes(StandardCharsets.UTF_8));
            fixture.send(200);
            Await.until("the processor to process every raw record", WAIT, fixture::processed);
            final Map<String, Set<String>> expected = ViewTables.expected(fixture.distinct().values(),
                    fixture.logIds());

            try (CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views_poison",
                    "poison", 50_000), CassandraSink.BeforeCommit.NOTHING)) {
                Await.until("the sink to write the log and aggregates", WAIT, () -> fixture.written("poison"));
                assertTrue(sink.healthy(), sink.status());
            }
            CassandraSinkIT.assertTables(ViewTables.readerView(expected),
                    ViewTables.readerView(ViewTables.read(session, "views_poison")));

            final List<String> reasons = deadLetterReasons(kafka, "poison-");
            assertTrue(reasons.stream().anyMatch(reason -> reason.contains("timestamp must not be before 1970")),
                    reasons::toString);
            assertTrue(reasons.stream().anyMatch(reason -> reason.contains("the views cannot hold it exactly: "
                    + "properties.k must be well-formed Unicode")), reasons::toString);
        }
    }

    /** The reasons of the dead letters whose key contains {@code marker}, once both are there. */
    private static List<String> deadLetterReasons(final KafkaEndpoint kafka, final String marker) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        final List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until("two dead letters", WAIT, () -> {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).contains(marker)) {
                        reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON).value(),
                                StandardCharsets.UTF_8));
                    }
                }
                return reasons.size() >= 2;
            });
        }
        return reasons;
    }
}
