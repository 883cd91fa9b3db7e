package dev.meterstream.meter;

import dev.meterstream.event.Topics;
import java.util.Objects;

/**
 * The key of a record the processor writes for defined meters ({@link Topics#METER_AGGREGATES},
 * {@link Topics#METER_BOUNDARIES}) and of its store entries. Each kind says which rows its value replaces, so a
 * compacted topic keeps the newest of each and a replay rewrites the same rows.
 *
 * <p>The keys are binary ({@link MeterKeyCodec} says how and why).
 */
public sealed interface MeterRecordKey {
    /** The key's binary form, the same bytes every time. */
    default byte[] bytes() {
        return MeterKeyCodec.write(this);
    }

    /**
     * The state of one window and group, folded from one shard's events (a raw partition), live or backfilled. The
     * shards and the two sources hold disjoint events, so a reader merges them ({@link MeterState#merge}).
     */
    record State(MeterWindowKey window, int shard, MeterSource source) implements MeterRecordKey {
        public State {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Every live state of one event type's defined meters in one window, folded from one shard's events (value:
     * {@link MeterTypeStates}): what the processor counts live. Each entry stands for the {@link State} of its meter
     * version and group with this window and shard, counted {@link MeterSource#LIVE}, and merges with the others of
     * that meter and group as they do. Backfills write {@link State}s, one application per meter version.
     */
    record TypeStates(MeterTypeWindow window, int shard) implements MeterRecordKey {
        public TypeStates {
            Objects.requireNonNull(window, "window");
        }
    }

    /**
     * One distinct value of a UNIQUE_COUNT meter in one window and group. Values are written once, whoever meets
     * them first (any shard, live or backfill): a value present is present, so a window's count is its rows.
     */
    record Distinct(MeterWindowKey window, String value) implements MeterRecordKey {
        public Distinct {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Where live counting of one meter version began on one shard (value: {@link MeterBoundary}). */
    record Boundary(MeterVersion meter, int shard) implements MeterRecordKey {
        public Boundary {
            Objects.requireNonNull(meter, "meter");
        }
    }

    /**
     * Where live counting of one meter version ended on one shard, once it is no longer in force (deleted, or
     * replaced by a new version): the value ({@link MeterBoundary}) is the first sequence not counted. Readers that
     * fold a subject's events themselves ({@link MeterWindowKey#readFromEvents}) stop there ({@link MeterCoverage}).
     */
    record End(MeterVersion meter, int shard) implements MeterRecordKey {
        public End {
            Objects.requireNonNull(meter, "meter");
        }
    }

    /** How far the backfill of one meter version has folded one shard (value: {@link MeterProgress}). */
    record Progress(MeterVersion meter, int shard) implements MeterRecordKey {
        public Progress {
            Objects.requireNonNull(meter, "meter");
        }
    }

    /**
     * That the backfill of one meter version finished and was committed (written by the processor's backfill
     * coordinator beside the boundaries, value {@code {}}): a restarted processor does not run it again.
     */
    record Backfilled(MeterVersion meter) implements MeterRecordKey {
        public Backfilled {
            Objects.requireNonNull(meter, "meter");
        }
    }

    /** A key as {@link #bytes()} wrote it; {@link IllegalArgumentException} for anything else. */
    static MeterRecordKey read(final byte[] bytes) {
        return MeterKeyCodec.read(bytes);
    }
}
