package dev.meterstream.processor.meter;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterTypeWindow;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.meter.StoredMeter;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;

/**
 * How one event is folded into one meter version's states, live and in a backfill alike: in each window size,
 * for all subjects, and for its subject in the sizes stored per subject ({@link MeterWindowKey#stored}: its hours;
 * its days are read as hours and its minutes from its events). A UNIQUE_COUNT records the value itself (its count
 * is the number of distinct values); every other aggregation folds its state for the event's shard and source:
 * live, into the state its event type's meters share per window ({@link MeterRecordKey.TypeStates}); in a
 * backfill, which computes one meter version, into the version's own.
 */
final class MeterFold {
    private static final WindowSize[] SIZES = WindowSize.values();

    private MeterFold() {
    }

    /**
     * The keys of one event's type states, made once for all the meters of its type that the event is folded
     * into (they share them), and only when one needs them; and the task's entries, made once per group.
     */
    static final class TypeKeys {
        private final SequencedEvent event;
        private final MeterTypeStates.Entries entries;
        /** Per size: the subject's (when stored) and all subjects'. */
        private final Bytes[] keys = new Bytes[SIZES.length * 2];

        TypeKeys(final SequencedEvent event, final MeterTypeStates.Entries entries) {
            this.event = event;
            this.entries = entries;
        }

        private Bytes key(final WindowSize size, final boolean allSubjects) {
            final int at = size.ordinal() * 2 + (allSubjects ? 1 : 0);
            if (keys[at] == null) {
                final UsageEvent usage = event.event();
                keys[at] = Bytes.wrap(new MeterRecordKey.TypeStates(new MeterTypeWindow(usage.tenant(),
                        usage.meter(), allSubjects ? null : usage.subject(), size, size.start(usage.timestamp())),
                        event.partition()).bytes());
            }
            return keys[at];
        }
    }

    /**
     * Returns false if the event is of the meter's type but brought it no value (it is skipped, not counted).
     *
     * @param typeKeys the event's type keys when counted live; null in a backfill (it writes the version's own)
     */
    static boolean fold(final MeterStates states, final StoredMeter meter, final SequencedEvent sequenced,
                        final MeterSource source, final TypeKeys typeKeys) {
        final Optional<MeterInput.Taken> taken = MeterInput.of(meter.definition(), sequenced);
        if (taken.isEmpty()) {
            return true;
        }
        final MeterInput input = taken.get().input();
        if (input == null) {
            return false;
        }
        final Aggregation aggregation = meter.definition().aggregation();
        final String subject = sequenced.event().subject();
        if (aggregation != Aggregation.UNIQUE_COUNT && source == MeterSource.LIVE) {
            final MeterTypeStates.Entry entry = typeKeys.entries.of(meter.definition().slug(), meter.version(),
                    input.groups());
            for (final WindowSize size : SIZES) {
                if (MeterWindowKey.stored(size, subject)) {
                    states.fold(typeKeys.key(size, false), entry, aggregation, input);
                }
                states.fold(typeKeys.key(size, true), entry, aggregation, input);
            }
            return true;
        }
        for (final WindowSize size : SIZES) {
            final MeterWindowKey window = new MeterWindowKey(meter.tenant(), meter.definition().slug(),
                    meter.version(), subject, input.groups(), size, size.start(input.time()));
            final MeterWindowKey[] windows = MeterWindowKey.stored(size, subject)
                    ? new MeterWindowKey[] {window, window.allSubjects()}
                    : new MeterWindowKey[] {window.allSubjects()};
            for (final MeterWindowKey each : windows) {
                if (aggregation == Aggregation.UNIQUE_COUNT) {
                    states.distinct(new MeterRecordKey.Distinct(each, input.text()));
                } else {
                    states.fold(new MeterRecordKey.State(each, sequenced.partition(), source), aggregation, input);
                }
            }
        }
        return true;
    }
}
