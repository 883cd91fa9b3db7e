package dev.meterstream.processor;

import dev.meterstream.event.UsageEventJson;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Reads raw records as events; what cannot be read goes on, marked, toward the dead-letter topic. */
final class DecodeProcessor implements FixedKeyProcessor<String, byte[], Decoded> {
    private final ProcessorMetrics metrics;
    private FixedKeyProcessorContext<String, Decoded> context;

    DecodeProcessor(final ProcessorMetrics metrics) {
        this.metrics = metrics;
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
            }
        } catch (final UsageEventJson.MalformedEventException e) {
            decoded = Decoded.failed(record.value(), e.getMessage());
        }
        context.forward(record.withValue(decoded));
    }
}
