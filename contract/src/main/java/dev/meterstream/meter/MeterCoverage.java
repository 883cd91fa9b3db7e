package dev.meterstream.meter;

import dev.meterstream.event.SequencedEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Which of one shard's events a meter version's stored states hold, from what the views say of the shard
 * ({@code meter_backfill}): those its backfill has folded (below {@code through}, never past the boundary) and those
 * counted live (from the boundary on, up to the end once the version is no longer in force). A reader that folds
 * a subject's events itself ({@link MeterWindowKey#readFromEvents}) folds exactly these, so its windows agree with
 * the stored ones, during a backfill and after a delete alike.
 *
 * @param boundary where live counting began (null: it has not begun on this shard, so nothing is counted live)
 * @param through  how far the backfill has folded (null: not at all)
 * @param end      the first sequence not counted live (null: still counting)
 */
public record MeterCoverage(Long boundary, Long through, Long end) {
    /** Whether the event with {@code sequence} on this shard is in the version's states. */
    public boolean holds(final long sequence) {
        if (boundary == null) {
            return false;
        }
        if (sequence < boundary) {
            return through != null && sequence < through;
        }
        return end == null || sequence < end;
    }

    /**
     * What {@code event} brings to the version of {@code definition} whose shards' coverage is {@code shards}, as
     * its stored states hold it: empty if the event is of another type, brought no value (skipped, as the processor
     * skips it), or is not held on its shard.
     */
    public static Optional<MeterInput> input(final MeterDefinition definition,
                                             final Map<Integer, MeterCoverage> shards, final SequencedEvent event) {
        final MeterCoverage coverage = shards.get(event.partition());
        if (coverage == null || !coverage.holds(event.sequence())) {
            return Optional.empty();
        }
        return MeterInput.of(definition, event).map(MeterInput.Taken::input);
    }
}
