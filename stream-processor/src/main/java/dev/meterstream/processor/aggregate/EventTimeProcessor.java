package dev.meterstream.processor.aggregate;

import dev.meterstream.event.SequencedEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stamps a record with its event's time, so that the windowed aggregations downstream window by event time. Up to
 * here records keep the time the edge sent them (which the dedupe window and topic retention go by).
 */
public final class EventTimeProcessor implements FixedKeyProcessor<String, SequencedEvent, SequencedEvent> {
    private FixedKeyProcessorContext<String, SequencedEvent> context;

    @Override
    public void init(final FixedKeyProcessorContext<String, SequencedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, SequencedEvent> record) {
        context.forward(record.withTimestamp(record.value().event().timestamp().toEpochMilli()));
    }
}
