package dev.meterstream.processor.topology;

import dev.meterstream.event.StoreNames;
import dev.meterstream.event.Topics;
import dev.meterstream.processor.aggregate.CommitHookStore;
import dev.meterstream.processor.meter.Backfill;
import dev.meterstream.processor.meter.BackfillProcessor;
import dev.meterstream.processor.meter.BackfillWatch;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The backfill of meter versions, an application of its own that reads the canonical log from its start:
 * <pre>
 * usage.events -> backfill [meter-states] -> meter.aggregates
 * </pre>
 */
public final class BackfillTopology {
    private BackfillTopology() {
    }

    public static Topology build(final List<Backfill> backfills, final ProcessorMetrics metrics,
                                 final BackfillWatch watch, final int stateEntries) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(CommitHookStore.builder(StoreNames.METER_STATES));
        builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), EventSerdes.SEQUENCED_EVENT).withName("events"))
                .process(() -> new BackfillProcessor(backfills, metrics::meterEventSkipped, watch,
                                stateEntries), Named.as("backfill"),
                        StoreNames.METER_STATES)
                .to(Topics.METER_AGGREGATES, Produced.with(Serdes.Bytes(), Serdes.ByteArray())
                        .withName("meter-aggregates"));
        return builder.build();
    }
}
