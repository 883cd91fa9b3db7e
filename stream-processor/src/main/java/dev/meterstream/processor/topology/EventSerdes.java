package dev.meterstream.processor.topology;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateBytes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes over the contract's wire formats, for topics, repartitioning and stores. */
public final class EventSerdes {
    public static final Serde<SequencedEvent> SEQUENCED_EVENT = Serdes.serdeFrom(
            (topic, event) -> event == null ? null : UsageEventBytes.write(event),
            (topic, bytes) -> bytes == null ? null : UsageEventBytes.readSequenced(bytes));
    static final Serde<WindowAggregate> WINDOW_AGGREGATE = Serdes.serdeFrom(
            (topic, aggregate) -> aggregate == null ? null : WindowAggregateBytes.write(aggregate),
            (topic, bytes) -> bytes == null ? null : WindowAggregateBytes.read(bytes));

    private EventSerdes() {
    }
}
