package dev.meterstream.processor;

import dev.meterstream.event.UsageEventJson;
import dev.meterstream.event.WindowAggregate;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reads raw records as events; what cannot be read, or carries an event time too far past the time it was received
 * (which the edge refuses, and which the brokers would refuse as a record timestamp once windowed by event time),
 * goes on, marked, toward the dead-letter topic.
 */
final class DecodeProcessor implements FixedKeyProcessor<String, byte[], Decoded> {
    private final ProcessorMetrics metrics;
    private final Duration futureTolerance;
    private FixedKeyProcessorContext<String, Decoded> context;

    DecodeProcessor(final ProcessorMetrics metrics, final Duration futureTolerance) {
        this.metrics = metrics;
        this.futureTolerance = futureTolerance;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, byte[]> record) {
        metrics.recordIn();
        Decoded decoded;
        try {
            decoded = Decoded.of(UsageEventJson.read(record.value()));
            if (record.key() == null || !record.key().equals(decoded.event().key())) {
                decoded = Decoded.failed(record.value(), "record key '" + record.key() + "' is not the event's key '"
                        + decoded.event().key() + "'");
            } else if (decoded.event().subject().startsWith(WindowAggregate.ROLLUP_PREFIX)) {
                decoded = Decoded.failed(record.value(), "subject '" + decoded.event().subject() + "' starts with '"
                        + WindowAggregate.ROLLUP_PREFIX + "', which is reserved for totals over all subjects");
            } else if (decoded.event().timestamp().isAfter(decoded.event().receivedAt().plus(futureTolerance))) {
                decoded = Decoded.failed(record.value(), "event time " + decoded.event().timestamp()
                        + " is more than " + futureTolerance + " after the time it was received, "
                        + decoded.event().receivedAt());
            }
        } catch (final UsageEventJson.MalformedEventException e) {
            decoded = Decoded.failed(record.value(), e.getMessage());
        }
        context.forward(record.withValue(decoded));
    }
}
