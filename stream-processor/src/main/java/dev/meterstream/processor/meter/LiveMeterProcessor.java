package dev.meterstream.processor.meter;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.meter.MeterBoundary;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.StoredMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Counts defined meters live, where the events are sequenced (one raw partition, a shard, per task; no
 * repartitioning). Each event is folded into every version in force that takes its type ({@link MeterFold}); the
 * changed states are written just before each commit ({@link MeterStates}), to the store's changelog (the sink
 * reads it: {@link dev.meterstream.event.Topics#liveMeterStates}), in the same transaction as the events and
 * offsets they cover. Only boundaries are forwarded.
 *
 * <p><b>Boundaries.</b> The first time this shard counts a version, it records where: the sequence of the event it
 * starts with, or, when the version comes into force between events (the definitions are read again every
 * {@link #REFRESH}), the next sequence the shard will hand out. The boundary is stored and sent in the same
 * transaction as the states it starts, so after a crash both are replayed together. Every event of the shard below
 * the boundary is the backfill's, every one from it on is counted here, and the two never meet: that is what makes
 * a meter defined late exact. A version deleted or replaced stops being counted, and never starts again (a new
 * definition is a new version).
 *
 * <p><b>Ends.</b> When a version this shard started is no longer in force, the shard records where it stopped: the
 * first sequence it did not count ({@link MeterRecordKey.End}, stored and sent as boundaries are). A subject's
 * minutes are folded from its events when read ({@link dev.meterstream.meter.MeterWindowKey#readFromEvents}), and
 * the reader must leave out what the states left out. Ends are looked for when the versions in force change, and
 * once after the task starts, before its first event: a version that left while the task was down ends where the
 * task resumed.
 */
public final class LiveMeterProcessor implements Processor<String, SequencedEvent, Bytes, byte[]> {
    /** How often the definitions are read again: how soon a new version starts counting live. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration EXPIRY = Duration.ofHours(1);

    private final EventRules rules;
    /** Told of each event of a meter's type that brought it no value. */
    private final Runnable skipped;
    private final Duration keep;
    private final int stateEntries;
    private ProcessorContext<Bytes, byte[]> context;
    private ReadOnlyKeyValueStore<String, byte[]> definitions;
    private KeyValueStore<Bytes, Long> boundaries;
    private KeyValueStore<Integer, Long> sequences;
    private MeterStates states;
    /** Each meter version's groups, made once for this task's events (they key the type states). */
    private final MeterTypeStates.Entries entries = new MeterTypeStates.Entries();
    private LiveMeters live;
    private int shard;
    /**
     * Versions this task knows have a boundary on its shard: the store is read, and the boundary's key written,
     * once per version, not per event.
     */
    private final Set<MeterVersion> started = new HashSet<>();
    /** The versions in force when ends were last looked for; null until they have been since the task started. */
    private Set<MeterVersion> inForce;

    /**
     * @param keep         how long after a window ends its state is kept in the store (lateness horizon plus slack)
     * @param stateEntries most states held as objects ({@link MeterStates})
     */
    public LiveMeterProcessor(final EventRules rules, final Runnable skipped, final Duration keep,
                              final int stateEntries) {
        this.rules = rules;
        this.skipped = skipped;
        this.keep = keep;
        this.stateEntries = stateEntries;
    }

    @Override
    public void init(final ProcessorContext<Bytes, byte[]> context) {
        this.context = context;
        this.definitions = context.getStateStore(StoreNames.METER_DEFINITIONS);
        this.boundaries = context.getStateStore(StoreNames.METER_BOUNDARIES);
        this.sequences = context.getStateStore(StoreNames.PARTITION_SEQUENCE);
        // The store's changelog is the live states' output (Topics.liveMeterStates): nothing to send.
        this.states = MeterStates.over(context.getStateStore(StoreNames.METER_STATES), stateEntries,
                (key, value) -> { });
        this.shard = context.taskId().partition();
        started.clear();
        inForce = null;
        live = LiveMeters.none();
        context.schedule(REFRESH, PunctuationType.WALL_CLOCK_TIME, now -> refresh());
        context.schedule(EXPIRY, PunctuationType.STREAM_TIME,
                streamTime -> MeterExpiry.expire(states, streamTime, keep));
        live = LiveMeters.read(definitions, rules, live);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final SequencedEvent event = record.value();
        if (inForce == null) {
            endWhereGone(event.sequence(), record.timestamp());
        }
        final MeterFold.TypeKeys typeKeys = new MeterFold.TypeKeys(event, entries);
        for (final StoredMeter meter : live.of(event.event().tenant(), event.event().meter())) {
            startAt(meter, event.sequence(), record.timestamp());
            if (!MeterFold.fold(states, meter, event, MeterSource.LIVE, typeKeys)) {
                skipped.run();
            }
        }
    }

    /** Reads the definitions again, and records a boundary for each version this shard has not started yet. */
    private void refresh() {
        live = LiveMeters.read(definitions, rules, live);
        final Long stored = sequences.get(shard);
        final long next = stored == null ? 0 : stored;
        for (final StoredMeter meter : live.all()) {
            startAt(meter, next, context.currentSystemTimeMs());
        }
        endWhereGone(next, context.currentSystemTimeMs());
    }

    /**
     * Records an end at {@code sequence} (the next this shard hands out, or the event about to be folded) for each
     * version this shard started that is no longer in force and has none yet.
     */
    private void endWhereGone(final long sequence, final long timestamp) {
        final Set<MeterVersion> now = new HashSet<>();
        live.all().forEach(meter -> now.add(MeterVersion.of(meter)));
        if (now.equals(inForce)) {
            return;
        }
        inForce = now;
        final List<MeterVersion> gone = new ArrayList<>();
        try (KeyValueIterator<Bytes, Long> all = boundaries.all()) {
            while (all.hasNext()) {
                if (MeterRecordKey.read(all.next().key.get()) instanceof MeterRecordKey.Boundary boundary
                        && boundary.shard() == shard && !now.contains(boundary.meter())) {
                    gone.add(boundary.meter());
                }
            }
        }
        for (final MeterVersion version : gone) {
            recordOnce(new MeterRecordKey.End(version, shard), sequence, timestamp);
        }
    }

    private void startAt(final StoredMeter meter, final long sequence, final long timestamp) {
        final MeterVersion version = MeterVersion.of(meter);
        if (started.contains(version)) {
            return;
        }
        recordOnce(new MeterRecordKey.Boundary(version, shard), sequence, timestamp);
        started.add(version);
    }

    /**
     * Stores a boundary or an end at {@code sequence} and sends it, in this transaction, unless the store already
     * has one: each is recorded once, where counting began or stopped.
     */
    private void recordOnce(final MeterRecordKey where, final long sequence, final long timestamp) {
        final Bytes key = Bytes.wrap(where.bytes());
        if (boundaries.get(key) == null) {
            boundaries.put(key, sequence);
            context.forward(new Record<>(key, MeterRecordJson.write(new MeterBoundary(sequence)), timestamp));
        }
    }
}
