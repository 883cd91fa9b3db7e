package dev.meterstream.processor.meter;

import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateJson;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A cached store of defined meters' states and distinct values ({@link MeterRecordKey#text()} to the bytes sent),
 * folded into per event. The entries touched since the last flush are also held as objects, so that a key's
 * second and later updates before a commit skip the store's copy (as {@code ShardRollupProcessor} does, and safe
 * for the same reasons: every write passes through here, and a flush or a restore forgets them).
 */
final class MeterStates {
    /** The value of a distinct value's entry and record: its presence is all it says. */
    static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, MeterState> touched = new HashMap<>();

    MeterStates(final KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    KeyValueStore<String, byte[]> store() {
        return store;
    }

    void fold(final MeterRecordKey.State key, final Aggregation aggregation, final MeterInput input) {
        final String text = key.text();
        MeterState state = touched.get(text);
        if (state == null) {
            final byte[] stored = store.get(text);
            state = stored == null ? MeterState.empty() : MeterStateJson.read(stored);
        }
        final MeterState updated = state.add(aggregation, input);
        store.put(text, MeterStateJson.write(updated));
        touched.put(text, updated);
    }

    /** Records a distinct value unless it is already known (a value is sent once per window and group). */
    void distinct(final MeterRecordKey.Distinct key) {
        final String text = key.text();
        if (touched.containsKey(text) || store.get(text) != null) {
            return;
        }
        store.put(text, PRESENT);
        touched.put(text, MeterState.empty());
    }

    /** The store sent {@code key}, or dropped it. */
    void forget(final String key) {
        touched.remove(key);
    }
}
