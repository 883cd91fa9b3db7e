package dev.meterstream.processor.topology;

import dev.meterstream.event.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns an unreadable record into a dead letter: the original bytes, with headers saying why and where it came from
 * ({@code dead-letter.reason}, {@code dead-letter.source} as {@code topic/partition/offset}).
 */
final class DeadLetterProcessor implements FixedKeyProcessor<String, Decoded, byte[]> {
    private final ProcessorMetrics metrics;
    private FixedKeyProcessorContext<String, byte[]> context;

    DeadLetterProcessor(final ProcessorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, Decoded> record) {
        metrics.deadLetter();
        final String source = context.recordMetadata()
                .map((RecordMetadata m) -> Topics.deadLetterSource(m.topic(), m.partition(), m.offset()))
                .orElse("unknown");
        record.headers().add(Topics.DEAD_LETTER_REASON, record.value().error().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Topics.DEAD_LETTER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        context.forward(record.withValue(record.value().raw()));
    }
}
