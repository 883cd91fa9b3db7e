package dev.meterstream.processor.sink;

import dev.meterstream.meter.MeterBoundary;
import dev.meterstream.meter.MeterProgress;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateBytes;
import dev.meterstream.meter.MeterTypeStates;

/**
 * A defined meter's record read for the views: its key and, by kind, its state, a type's states (their bytes, as the
 * view holds them), boundary (or end) or progress (a distinct value has none). Read whole when polled, so that a record that does not read is dead-lettered before a flush.
 */
record MeterRow(MeterRecordKey key, MeterState state, MeterBoundary boundary, MeterProgress progress,
                byte[] typeStates) {
    static MeterRow read(final byte[] key, final byte[] value) {
        final MeterRecordKey parsed = MeterRecordKey.read(key);
        return switch (parsed) {
            case MeterRecordKey.State state -> new MeterRow(state, MeterStateBytes.read(value), null, null, null);
            case MeterRecordKey.TypeStates states -> {
                // Read only to check it: the view holds the same bytes.
                MeterTypeStates.read(value);
                yield new MeterRow(states, null, null, null, value);
            }
            case MeterRecordKey.Distinct distinct -> new MeterRow(distinct, null, null, null, null);
            case MeterRecordKey.Boundary boundary ->
                    new MeterRow(boundary, null, MeterRecordJson.boundary(value), null, null);
            case MeterRecordKey.End end -> new MeterRow(end, null, MeterRecordJson.boundary(value), null, null);
            case MeterRecordKey.Progress progress ->
                    new MeterRow(progress, null, null, MeterRecordJson.progress(value), null);
            case MeterRecordKey.Backfilled backfilled -> new MeterRow(backfilled, null, null, null, null);
        };
    }
}
