package dev.meterstream.loadtest.bench;

import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A backlog of raw events for the catch-up benchmarks, written straight to the raw topic as the edge would: one in
 * twenty a re-sent copy of one of the last hundred events, tenant {@code bench}, five meters, event times spread over
 * {@code span} before now. Seeded, so two runs produce the same backlog.
 */
final class RawBacklog {
    private RawBacklog() {
    }

    static void produce(final String bootstrapServers, final long events, final int subjects, final Duration span) {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        final Random random = new Random(7);
        final Instant now = Instant.now();
        final long spanMillis = span.toMillis();
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            long distinct = 0;
            for (long i = 0; i < events; i++) {
                final long n = distinct > 100 && random.nextInt(20) == 0 ? distinct - 1 - random.nextInt(100)
                        : distinct++;
                final UsageEvent event = new UsageEvent("bench", "evt-" + n, "subject-" + n % subjects,
                        "meter-" + n % 5, n % 10, now.minusMillis((n * 7919) % spanMillis), Map.of(), now);
                producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
            }
        }
    }
}
