package dev.meterstream.processor.meter;

import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateBytes;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.processor.aggregate.CommitHookStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Defined meters' states and distinct values ({@link MeterRecordKey#bytes()} to the bytes stored), folded into per
 * event, over a {@link CommitHookStore}: the entries in use are held here as objects, the changed ones are written
 * to the store (RocksDB and its changelog) once each just before the commit, and the least recently used are
 * dropped past a bound (written first if changed).
 *
 * <p>Why not Kafka Streams' record cache: it holds bytes in a sorted map per store, so each fold paid a tree walk
 * to read the state, another to put it back and a serialisation, and each commit walked the dirty keys again;
 * with a few hundred thousand entries that was more than a third of the processor's time (docs/benchmarks.md,
 * "Session 16"). Here a fold is a hash lookup; a state is serialised once per commit.
 *
 * <p>Safe because every write to the store passes through here, and a task that fails or moves is initialised
 * again with a new instance: nothing here outlives the transaction it was read in, unless written.
 */
final class MeterStates {
    /** The value of a distinct value's entry and record: its presence is all it says. */
    static final byte[] PRESENT = new byte[0];

    /**
     * One entry: a state or a type's states, serialised when written, or bytes as they are (distinct values,
     * backfill progress).
     */
    private static final class Slot {
        final Bytes key;
        MeterState state;
        MeterTypeStates types;
        byte[] raw;
        boolean dirty;

        Slot(final Bytes key) {
            this.key = key;
        }

        byte[] bytes() {
            return state != null ? MeterStateBytes.write(state) : types != null ? types.bytes() : raw;
        }
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final BiConsumer<Bytes, byte[]> written;
    private final Map<Bytes, Slot> slots;
    /** Slots changed since the last write; a slot written early (dropped past the bound) is no longer dirty. */
    private final List<Slot> dirty = new ArrayList<>();

    /**
     * States over {@code store}, written into it before each commit of its task.
     *
     * @param store    a {@link CommitHookStore}, as the processor got it from its context
     * @param capacity most entries held as objects
     * @param written  told each entry as it is written to the store (backfills send it on)
     */
    static MeterStates over(final KeyValueStore<Bytes, byte[]> store, final int capacity,
                            final BiConsumer<Bytes, byte[]> written) {
        final MeterStates states = new MeterStates(store, capacity, written);
        CommitHookStore.beforeCommit(store, states::writeChanged);
        return states;
    }

    /** States over any store, written by {@link #writeChanged()} (tests). */
    MeterStates(final KeyValueStore<Bytes, byte[]> store, final int capacity,
                final BiConsumer<Bytes, byte[]> written) {
        this.store = store;
        this.written = written;
        this.slots = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Bytes, Slot> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                final Slot slot = eldest.getValue();
                if (slot.dirty) {
                    write(List.of(slot));
                }
                return true;
            }
        };
    }

    KeyValueStore<Bytes, byte[]> store() {
        return store;
    }

    void fold(final MeterRecordKey.State key, final Aggregation aggregation, final MeterInput input) {
        final Bytes bytes = Bytes.wrap(key.bytes());
        Slot slot = slots.get(bytes);
        if (slot == null) {
            final byte[] stored = store.get(bytes);
            slot = new Slot(bytes);
            slot.state = stored == null ? MeterState.empty() : MeterStateBytes.read(stored);
            slots.put(bytes, slot);
        }
        slot.state = slot.state.add(aggregation, input);
        changed(slot);
    }

    /** Folds {@code input} into one meter version's group of a type's live states. */
    void fold(final Bytes key, final MeterTypeStates.Entry entry, final Aggregation aggregation,
              final MeterInput input) {
        Slot slot = slots.get(key);
        if (slot == null) {
            final byte[] stored = store.get(key);
            slot = new Slot(key);
            slot.types = stored == null ? new MeterTypeStates() : MeterTypeStates.read(stored);
            slots.put(key, slot);
        }
        slot.types.fold(entry, aggregation, input);
        changed(slot);
    }

    /** Records a distinct value unless it is already known (a value is sent once per window and group). */
    void distinct(final MeterRecordKey.Distinct key) {
        final Bytes bytes = Bytes.wrap(key.bytes());
        if (slots.containsKey(bytes)) {
            return;
        }
        final Slot slot = new Slot(bytes);
        slot.raw = PRESENT;
        slots.put(bytes, slot);
        if (store.get(bytes) == null) {
            changed(slot);
        }
    }

    /** The bytes of {@code key}, as they will be written. */
    byte[] get(final Bytes key) {
        final Slot slot = slots.get(key);
        return slot != null ? slot.bytes() : store.get(key);
    }

    /** Sets {@code key} to {@code value} as it is (backfill progress), written with the states it covers. */
    void put(final Bytes key, final byte[] value) {
        final Slot slot = slots.computeIfAbsent(key, Slot::new);
        slot.state = null;
        slot.types = null;
        slot.raw = value;
        changed(slot);
    }

    /** Deletes {@code key} from the store, and forgets it. */
    void delete(final Bytes key) {
        final Slot slot = slots.remove(key);
        if (slot != null) {
            slot.dirty = false;
        }
        store.delete(key);
    }

    private void changed(final Slot slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            dirty.add(slot);
        }
    }

    /** Writes every entry changed since the last call into the store. */
    void writeChanged() {
        if (!dirty.isEmpty()) {
            write(dirty);
            dirty.clear();
        }
    }

    private void write(final List<Slot> changed) {
        final List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(changed.size());
        for (final Slot slot : changed) {
            if (slot.dirty) {
                slot.dirty = false;
                entries.add(KeyValue.pair(slot.key, slot.bytes()));
            }
        }
        store.putAll(entries);
        for (final KeyValue<Bytes, byte[]> entry : entries) {
            written.accept(entry.key, entry.value);
        }
    }
}
