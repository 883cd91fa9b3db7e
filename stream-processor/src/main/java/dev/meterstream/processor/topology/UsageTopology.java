package dev.meterstream.processor.topology;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.event.Topics;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.processor.aggregate.CommitHookStore;
import dev.meterstream.processor.aggregate.EventTimeProcessor;
import dev.meterstream.processor.aggregate.SequencedEventBinarySerde;
import dev.meterstream.processor.aggregate.SeriesWindowsProcessor;
import dev.meterstream.processor.aggregate.Windowing;
import dev.meterstream.processor.log.DedupeProcessor;
import dev.meterstream.processor.log.SequenceProcessor;
import dev.meterstream.processor.meter.DefinitionsStoreUpdater;
import dev.meterstream.processor.meter.LiveMeterProcessor;
import dev.meterstream.processor.aggregate.ShardRollupProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream processor's topology, built from typed settings so that TopologyTestDriver tests and the running
 * application use the same code:
 * <pre>
 * usage.raw -> decode -+-> (unreadable) dead letter -> usage.dead-letters
 *                      +-> dedupe [dedupe-cold] -> sequence [partition-sequence] -+-> usage.events (same partition)
 *                                                                            +-> shard rollup [rollup]               
 *                                                                            |   -> usage.aggregates (subject *p)
 *                                                                            +-> meters [meter-states, meter-boundaries,
 *                                                                            |   partition-sequence; global
 *                                                                            |   meter-definitions] -> meter.aggregates,
 *                                                                            |   meter.boundaries
 *                                                                            +-> event time -> by tenant/meter/subject
 *                                                                                (repartition) -> minute, hour and
 *                                                                                day windows [aggregates-*]
 *                                                                                -> usage.aggregates
 * </pre>
 * The aggregations emit absolute totals once per key and commit, from objects their processors hold (the shard
 * rollups, the series' windows, the defined meters), written before each commit.
 */
public final class UsageTopology {
    private UsageTopology() {
    }

    public static Topology build(final TopologySettings settings, final ProcessorMetrics metrics) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DedupeProcessor.COLD_STORE,
                DedupeProcessor.coldRetention(settings.latenessHorizon()), Duration.ofMillis(1), false),
                Serdes.Bytes(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SequenceProcessor.STORE), Serdes.Integer(), Serdes.Long())
                // Cached: the counter is written per event, but only its value at the commit needs to reach
                // RocksDB and the changelog (the same transaction as the events it numbered).
                .withCachingEnabled());
        for (final WindowSize size : WindowSize.values()) {
            builder.addStateStore(SeriesWindowsProcessor.store(size, settings.latenessHorizon()));
        }
        // Not in the record cache: the processor holds the changed totals and writes them before each commit.
        builder.addStateStore(ShardRollupProcessor.store());

        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.METER_DEFINITIONS), Serdes.String(), Serdes.ByteArray())
                        // A global store is restored from its own topic; a changelog would be a second copy.
                        .withLoggingDisabled(),
                Topics.METER_DEFINITIONS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("meter-definitions"),
                DefinitionsStoreUpdater::new);
        // Not in the record cache: the processor holds the states in use and writes the changed ones before each
        // commit (MeterStates).
        builder.addStateStore(CommitHookStore.builder(StoreNames.METER_STATES));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.METER_BOUNDARIES),
                Serdes.Bytes(), Serdes.Long()));

        final Map<String, KStream<String, Decoded>> decoded = builder
                .stream(Topics.RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw"))
                .processValues(() -> new DecodeProcessor(metrics, settings.rules()), Named.as("decode"))
                .split(Named.as("decoded-"))
                .branch((key, value) -> value.ok(), Branched.as("ok"))
                .defaultBranch(Branched.as("unreadable"));

        decoded.get("decoded-unreadable")
                .processValues(() -> new DeadLetterProcessor(metrics), Named.as("dead-letter"))
                .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letters"));

        final KStream<String, SequencedEvent> sequenced = decoded.get("decoded-ok")
                .mapValues(Decoded::event, Named.as("event"))
                .process(() -> new DedupeProcessor(settings.dedupeHotWindow(), settings.dedupeHotMaxIds(),
                        settings.latenessHorizon(), metrics::duplicate), Named.as("dedupe"), DedupeProcessor.COLD_STORE)
                .process(SequenceProcessor::new, Named.as("sequence"), SequenceProcessor.STORE);

        sequenced.peek((key, value) -> metrics.eventOut(), Named.as("count-events"))
                .to(Topics.EVENTS, Produced.with(Serdes.String(), EventSerdes.SEQUENCED_EVENT)
                        .withStreamPartitioner((topic, key, value, partitions) ->
                                Optional.of(Set.of(value.partition() % partitions)))
                        .withName("events"));

        // Totals over all subjects per raw partition, summed where the events already are (no repartitioning).
        sequenced.process(() -> new ShardRollupProcessor(settings.latenessHorizon().plus(Windowing.SLACK)),
                        Named.as("rollup"), ShardRollupProcessor.STORE)
                .to(Topics.AGGREGATES, Produced.with(Serdes.String(), EventSerdes.WINDOW_AGGREGATE)
                        .withName("rollups"));

        // Defined meters, counted live per shard: the states' output is their store's changelog; boundaries are
        // forwarded to their own topic.
        sequenced.process(() -> new LiveMeterProcessor(settings.rules(), metrics::meterEventSkipped,
                                settings.latenessHorizon().plus(Windowing.SLACK), settings.meterStateEntries()),
                        Named.as("meters"), StoreNames.METER_STATES, StoreNames.METER_BOUNDARIES,
                        SequenceProcessor.STORE)
                .to(Topics.METER_BOUNDARIES, Produced.with(Serdes.Bytes(), Serdes.ByteArray())
                        .withName("meter-boundaries"));

        // A series' minute, hour and day totals: regrouped by series, in event time, held as objects and written
        // to their window stores and usage.aggregates before each commit (SeriesWindowsProcessor).
        sequenced.processValues(EventTimeProcessor::new, Named.as("event-time"))
                .selectKey((key, value) -> WindowAggregate.seriesKey(value.event()), Named.as("series-key"))
                .repartition(Repartitioned.<String, SequencedEvent>as(Topics.BY_SERIES)
                        .withKeySerde(Serdes.String()).withValueSerde(new SequencedEventBinarySerde()))
                .process(() -> new SeriesWindowsProcessor(settings.latenessHorizon().plus(Windowing.SLACK),
                                settings.seriesWindowEntries()), Named.as("aggregate-series"),
                        StoreNames.aggregates(WindowSize.MINUTE), StoreNames.aggregates(WindowSize.HOUR),
                        StoreNames.aggregates(WindowSize.DAY))
                .to(Topics.AGGREGATES, Produced.with(Serdes.String(), EventSerdes.WINDOW_AGGREGATE)
                        .withName("aggregates"));
        return builder.build();
    }
}
