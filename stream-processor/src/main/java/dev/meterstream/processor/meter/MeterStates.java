package dev.meterstream.processor.meter;

import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateBytes;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A cached store of defined meters' states and distinct values ({@link MeterRecordKey#bytes()} to the bytes sent),
 * folded into per event. The entries touched since the last flush are also held as objects, so that a key's
 * second and later updates before a commit skip the store's copy (as {@code ShardRollupProcessor} does, and safe
 * for the same reasons: every write passes through here, and a flush or a restore forgets them).
 */
final class MeterStates {
    /** The value of a distinct value's entry and record: its presence is all it says. */
    static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;
    private final Map<Bytes, MeterState> touched = new HashMap<>();

    MeterStates(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    KeyValueStore<Bytes, byte[]> store() {
        return store;
    }

    void fold(final MeterRecordKey.State key, final Aggregation aggregation, final MeterInput input) {
        final Bytes bytes = Bytes.wrap(key.bytes());
        MeterState state = touched.get(bytes);
        if (state == null) {
            final byte[] stored = store.get(bytes);
            state = stored == null ? MeterState.empty() : MeterStateBytes.read(stored);
        }
        final MeterState updated = state.add(aggregation, input);
        store.put(bytes, MeterStateBytes.write(updated));
        touched.put(bytes, updated);
    }

    /** Records a distinct value unless it is already known (a value is sent once per window and group). */
    void distinct(final MeterRecordKey.Distinct key) {
        final Bytes bytes = Bytes.wrap(key.bytes());
        if (touched.containsKey(bytes) || store.get(bytes) != null) {
            return;
        }
        store.put(bytes, PRESENT);
        touched.put(bytes, MeterState.empty());
    }

    /** The store sent {@code key}, or dropped it. */
    void forget(final Bytes key) {
        touched.remove(key);
    }
}
