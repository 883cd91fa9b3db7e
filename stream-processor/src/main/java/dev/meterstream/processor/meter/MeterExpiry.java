package dev.meterstream.processor.meter;

import dev.meterstream.meter.MeterRecordKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Drops live states (per meter, or per type) and distinct values whose window ended longer ago than the lateness horizon (plus slack):
 * no event the edge accepts can reach them any more, and their last value is already sent. Run hourly on stream
 * time, as the shard rollup's expiry is.
 */
final class MeterExpiry {
    private MeterExpiry() {
    }

    static void expire(final MeterStates states, final long streamTime, final Duration keep) {
        final List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = states.store().all()) {
            while (all.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = all.next();
                final Instant end = switch (MeterRecordKey.read(entry.key.get())) {
                    case MeterRecordKey.State state -> state.window().size().end(state.window().windowStart());
                    case MeterRecordKey.TypeStates type ->
                            type.window().size().end(type.window().windowStart());
                    case MeterRecordKey.Distinct distinct ->
                            distinct.window().size().end(distinct.window().windowStart());
                    default -> null;
                };
                if (end != null && end.plus(keep).toEpochMilli() < streamTime) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(states::delete);
    }
}
