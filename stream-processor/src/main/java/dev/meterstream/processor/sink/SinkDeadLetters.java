package dev.meterstream.processor.sink;

import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.event.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The sink's way to the dead-letter topic, for a record the views cannot take: it is written there as it was read,
 * with the reason, and must be acknowledged before the offsets that pass it are committed (so a dead letter is
 * never lost, and at worst written twice after a crash: a dead letter is for people to read, not counted).
 */
final class SinkDeadLetters implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final SinkMetrics metrics;
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();

    SinkDeadLetters(final KafkaConnection kafka, final String clientId, final SinkMetrics metrics) {
        final Properties config = new Properties();
        config.putAll(kafka.config());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dead-letters");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.metrics = metrics;
    }

    void send(final ConsumerRecord<byte[], byte[]> record, final String reason) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DEAD_LETTER_REASON, ("Cassandra sink: " + reason).getBytes(StandardCharsets.UTF_8));
        final String source = Topics.deadLetterSource(record.topic(), record.partition(), record.offset());
        headers.add(Topics.DEAD_LETTER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        unacknowledged.add(producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, null, null, record.key(),
                record.value(), headers)));
        metrics.deadLetter();
    }

    /** Waits until Kafka has every dead letter sent so far; throws if it refused one. */
    void awaitAcknowledged() {
        try {
            for (final Future<RecordMetadata> sent : unacknowledged) {
                sent.get();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing dead letters", e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Kafka refused a dead letter: " + e.getCause(), e.getCause());
        } finally {
            unacknowledged.clear();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
