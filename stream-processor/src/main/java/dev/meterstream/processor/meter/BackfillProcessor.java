package dev.meterstream.processor.meter;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.meter.MeterProgress;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.processor.aggregate.CommitForwarder;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Folds meter versions over the canonical log below their boundaries, in one pass for all of them: partition p of
 * the log holds shard p's events in sequence order, so its task folds every event with a sequence below the
 * shard's boundary of a version ({@link MeterSource#BACKFILL} states) and leaves the rest, which live counting has.
 * Each version's progress on the shard (every sequence below {@code through} folded) is an entry of the same store,
 * written and sent with the states it covers and committed with the offsets, so a restart resumes where the last
 * commit left off and never folds an event twice.
 */
public final class BackfillProcessor implements Processor<String, SequencedEvent, Bytes, byte[]> {
    /** One version's position on this task's shard. */
    private static final class Position {
        final Backfill backfill;
        final long boundary;
        final Bytes progressKey;
        long through;

        Position(final Backfill backfill, final long boundary, final Bytes progressKey, final long through) {
            this.backfill = backfill;
            this.boundary = boundary;
            this.progressKey = progressKey;
            this.through = through;
        }
    }

    private final List<Backfill> backfills;
    /** Told of each event of a meter's type that brought it no value. */
    private final Runnable skipped;
    private final BackfillWatch watch;
    private final int stateEntries;
    private MeterStates states;
    private int shard;
    private List<Position> positions;
    private int open;

    /**
     * @param backfills    the versions, each with every shard's boundary (a backfill starts only when all are known)
     * @param stateEntries most states held as objects ({@link MeterStates})
     */
    public BackfillProcessor(final List<Backfill> backfills, final Runnable skipped, final BackfillWatch watch,
                             final int stateEntries) {
        this.backfills = List.copyOf(backfills);
        this.skipped = skipped;
        this.watch = watch;
        this.stateEntries = stateEntries;
    }

    @Override
    public void init(final ProcessorContext<Bytes, byte[]> context) {
        states = MeterStates.over(context.getStateStore(StoreNames.METER_STATES), stateEntries,
                CommitForwarder.sender(context));
        shard = context.taskId().partition();
        positions = new java.util.ArrayList<>(backfills.size());
        open = 0;
        for (final Backfill backfill : backfills) {
            final Long boundary = backfill.boundaries().get(shard);
            if (boundary == null) {
                throw new IllegalStateException("no boundary for shard " + shard + " of "
                        + MeterVersion.of(backfill.meter()));
            }
            final Bytes key = Bytes.wrap(new MeterRecordKey.Progress(MeterVersion.of(backfill.meter()), shard).bytes());
            final byte[] stored = states.get(key);
            final long through = stored == null ? 0 : MeterRecordJson.progress(stored).through();
            if (stored == null) {
                // Sent at the first commit (or the close): a shard with nothing to fold is done at once.
                states.put(key, MeterRecordJson.write(new MeterProgress(0, boundary)));
            }
            positions.add(new Position(backfill, boundary, key, through));
            open += through < boundary ? 1 : 0;
        }
        watch.report(shard, open == 0);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        if (open == 0) {
            return;
        }
        final SequencedEvent event = record.value();
        if (event.partition() != shard) {
            throw new IllegalStateException("partition " + shard + " of the log holds an event of shard "
                    + event.partition() + ": the log must have as many partitions as the raw topic");
        }
        for (final Position position : positions) {
            if (event.sequence() >= position.boundary || event.sequence() < position.through) {
                continue;
            }
            if (!MeterFold.fold(states, position.backfill.meter(), event, MeterSource.BACKFILL, null)) {
                skipped.run();
            }
            position.through = event.sequence() + 1;
            states.put(position.progressKey,
                    MeterRecordJson.write(new MeterProgress(position.through, position.boundary)));
            if (position.through == position.boundary && --open == 0) {
                watch.report(shard, true);
            }
        }
    }
}
