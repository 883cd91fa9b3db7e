package dev.meterstream.processor.meter;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.meter.MeterProgress;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.processor.aggregate.CommitForwarder;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Folds one meter version over the canonical log below its boundaries: partition p of the log holds shard p's
 * events in sequence order, so its task folds every event with a sequence below the shard's boundary
 * ({@link MeterSource#BACKFILL} states) and ignores the rest, which live counting has. Its progress (every
 * sequence below {@code through} folded) is an entry of the same cached store, sent with the states it covers
 * and committed with the offsets, so a restart resumes where the last commit left off and never folds an event
 * twice.
 */
public final class BackfillProcessor implements Processor<String, SequencedEvent, String, byte[]> {
    private final StoredMeter meter;
    private final Map<Integer, Long> boundaries;
    /** Told of each event of a meter's type that brought it no value. */
    private final Runnable skipped;
    private final BackfillWatch watch;
    private MeterStates states;
    private int shard;
    private long boundary;
    private long through;
    private String progressKey;

    /**
     * @param boundaries every shard's boundary for this version (the backfill starts only when all are known)
     */
    public BackfillProcessor(final StoredMeter meter, final Map<Integer, Long> boundaries,
                             final Runnable skipped, final BackfillWatch watch) {
        this.meter = meter;
        this.boundaries = Map.copyOf(boundaries);
        this.skipped = skipped;
        this.watch = watch;
    }

    @Override
    public void init(final ProcessorContext<String, byte[]> context) {
        states = new MeterStates(context.getStateStore(StoreNames.METER_STATES));
        states.forgetAll();
        CommitForwarder.install(context, states.store(), (key, value) -> value, states::forget);
        shard = context.taskId().partition();
        final Long known = boundaries.get(shard);
        if (known == null) {
            throw new IllegalStateException("no boundary for shard " + shard + " of " + MeterVersion.of(meter));
        }
        boundary = known;
        progressKey = new MeterRecordKey.Progress(MeterVersion.of(meter), shard).text();
        final byte[] stored = states.store().get(progressKey);
        through = stored == null ? 0 : MeterRecordJson.progress(stored).through();
        if (stored == null) {
            // Sent at the first commit (or the close): a shard with nothing to fold is done at once.
            states.store().put(progressKey, MeterRecordJson.write(new MeterProgress(0, boundary)));
        }
        watch.report(shard, through == boundary);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final SequencedEvent event = record.value();
        if (event.partition() != shard) {
            throw new IllegalStateException("partition " + shard + " of the log holds an event of shard "
                    + event.partition() + ": the log must have as many partitions as the raw topic");
        }
        if (event.sequence() >= boundary || event.sequence() < through) {
            return;
        }
        if (!MeterFold.fold(states, meter, event, MeterSource.BACKFILL)) {
            skipped.run();
        }
        through = event.sequence() + 1;
        states.store().put(progressKey, MeterRecordJson.write(new MeterProgress(through, boundary)));
        if (through == boundary) {
            watch.report(shard, true);
        }
    }
}
