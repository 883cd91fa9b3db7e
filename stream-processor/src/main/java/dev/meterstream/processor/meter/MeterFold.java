package dev.meterstream.processor.meter;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.meter.StoredMeter;
import java.util.Optional;

/**
 * How one event is folded into one meter version's states, live and in a backfill alike: in each window size,
 * for all subjects, and for its subject in the sizes stored per subject ({@link MeterWindowKey#stored}: its hours;
 * its days are read as hours and its minutes from its events). A UNIQUE_COUNT records the value itself (its count
 * is the number of distinct values); every other aggregation folds its state for the event's shard and source.
 */
final class MeterFold {
    private MeterFold() {
    }

    /** Returns false if the event is of the meter's type but brought it no value (it is skipped, not counted). */
    static boolean fold(final MeterStates states, final StoredMeter meter, final SequencedEvent sequenced,
                        final MeterSource source) {
        final Optional<MeterInput.Taken> taken = MeterInput.of(meter.definition(), sequenced);
        if (taken.isEmpty()) {
            return true;
        }
        final MeterInput input = taken.get().input();
        if (input == null) {
            return false;
        }
        final Aggregation aggregation = meter.definition().aggregation();
        for (final WindowSize size : WindowSize.values()) {
            final MeterWindowKey subject = new MeterWindowKey(meter.tenant(), meter.definition().slug(),
                    meter.version(), sequenced.event().subject(), input.groups(), size, size.start(input.time()));
            final MeterWindowKey[] windows = MeterWindowKey.stored(size, subject.subject())
                    ? new MeterWindowKey[] {subject, subject.allSubjects()}
                    : new MeterWindowKey[] {subject.allSubjects()};
            for (final MeterWindowKey window : windows) {
                if (aggregation == Aggregation.UNIQUE_COUNT) {
                    states.distinct(new MeterRecordKey.Distinct(window, input.text()));
                } else {
                    states.fold(new MeterRecordKey.State(window, sequenced.partition(), source), aggregation, input);
                }
            }
        }
        return true;
    }
}
