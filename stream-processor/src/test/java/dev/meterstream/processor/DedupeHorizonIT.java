package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.DataDirectories;
import dev.meterstream.infra.process.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy re-sent after the hot dedupe window is still counted once, through the whole lateness horizon, and also
 * after the processor restarts with its local state gone (restored from the changelogs). The hot window is shrunk
 * to seconds the way an operator would, with a configuration key ({@code ./dev up --set
 * processor.dedupe-hot-window=PT2S} passes the same system property).
 */
@ExtendWith(InfraExtension.class)
class DedupeHorizonIT {
    private static final Duration HOT_WINDOW = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldCountACopyReSentAfterTheHotWindowOnceAlsoAcrossARestart(final KafkaEndpoint kafka,
                                                                       @TempDir final Path stateDir)
            throws Exception {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        ProcessorServer.createTopics(ProcessorSettings.defaults("dedupe-it", kafka.bootstrapServers(), stateDir)
                .withDedupeHotWindow(HOT_WINDOW).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(200)).withCacheMaxBytes(1 << 20).withRawPartitions(2));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer());
             Log log = new Log(kafka)) {
            JavaProcess processor = start(kafka, stateDir);
            try {
                final Instant firstSent = send(producer, "original", 1);
                Await.until("the first copy in the log", WAIT, () -> log.read().containsKey("acme/original"));

                Await.until("the hot window to pass since the first copy", WAIT,
                        () -> Instant.now().isAfter(firstSent.plus(HOT_WINDOW.multipliedBy(2))));
                send(producer, "original", 7); // another payload: still a copy, the first one wins
                send(producer, "marker-1", 1);
                Await.until("the marker sent after the copy in the log", WAIT,
                        () -> log.read().containsKey("acme/marker-1"));
                assertEquals(1, log.read().get("acme/original"), "copies of acme/original in the log");

                // A restart with the local state gone: both dedupe tiers come back from their changelogs.
                processor.stop(Duration.ofSeconds(30));
                DataDirectories.deleteTree(stateDir);
                processor = start(kafka, stateDir);
                send(producer, "original", 1);
                send(producer, "marker-2", 1);
                Await.until("the marker sent after the restart in the log", WAIT,
                        () -> log.read().containsKey("acme/marker-2"));
                assertEquals(1, log.read().get("acme/original"), "copies of acme/original in the log");
            } finally {
                processor.stop(Duration.ofSeconds(30));
            }
        }
    }

    private static JavaProcess start(final KafkaEndpoint kafka, final Path stateDir) {
        return ProcessorProcess.start("dedupe-horizon-it", kafka, stateDir, "processor.application-id=dedupe-it",
                "topics.raw-partitions=2", "sink.enabled=false",
                "processor.dedupe-hot-window=" + HOT_WINDOW, "processor.commit-interval=PT0.2S");
    }

    /** Sends a raw record as the edge would (received now, keyed tenant/id); answers when. */
    private static Instant send(final KafkaProducer<String, byte[]> producer, final String id, final int quantity)
            throws Exception {
        final Instant now = Instant.now();
        final UsageEvent event = new UsageEvent("acme", id, "s", "m", quantity, now, Map.of(), now);
        producer.send(new ProducerRecord<>(Topics.RAW, null, now.toEpochMilli(), event.key(),
                UsageEventBytes.write(event))).get();
        return now;
    }

    /** The committed canonical log, read as it grows: copies per event key. */
    private static final class Log implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, Integer> copies = new HashMap<>();

        Log(final KafkaEndpoint kafka) {
            final Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            final List<TopicPartition> partitions = List.of(new TopicPartition(Topics.EVENTS, 0),
                    new TopicPartition(Topics.EVENTS, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<String, Integer> read() {
            for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                final SequencedEvent event = UsageEventBytes.readSequenced(record.value());
                copies.merge(event.event().key(), 1, Integer::sum);
            }
            return copies;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
