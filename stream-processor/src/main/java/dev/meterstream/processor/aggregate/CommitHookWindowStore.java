package dev.meterstream.processor.aggregate;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@link CommitHookStore} for a window store: a logged, uncached, timestamped window store whose owner writes its
 * own write-behind buffer into it just before each commit. Built as the DSL builds a windowed aggregation's store
 * (the same key and value bytes in RocksDB and in the changelog), so it can take over such a store's state.
 */
public final class CommitHookWindowStore<K, V>
        extends CommitHooked<TimestampedWindowStore<K, V>, K, ValueAndTimestamp<V>>
        implements TimestampedWindowStore<K, V> {

    private CommitHookWindowStore(final TimestampedWindowStore<K, V> wrapped) {
        super(wrapped);
    }

    /** A persistent timestamped window store named {@code name}, logged and not cached, with a commit hook. */
    public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> builder(final String name,
                                                                            final Duration retention,
                                                                            final Duration windowSize,
                                                                            final Serde<K> keys,
                                                                            final Serde<V> values) {
        return new CommitHookBuilder<>(Stores.timestampedWindowStoreBuilder(
                Stores.persistentTimestampedWindowStore(name, retention, windowSize, false), keys, values),
                CommitHookWindowStore::new, "CommitHookWindowStore");
    }

    @Override
    public void put(final K key, final ValueAndTimestamp<V> value, final long windowStartTimestamp) {
        wrapped().put(key, value, windowStartTimestamp);
    }

    @Override
    public ValueAndTimestamp<V> fetch(final K key, final long time) {
        return wrapped().fetch(key, time);
    }

    @Override
    public WindowStoreIterator<ValueAndTimestamp<V>> fetch(final K key, final long timeFrom, final long timeTo) {
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, ValueAndTimestamp<V>> fetch(final K keyFrom, final K keyTo,
                                                                     final long timeFrom, final long timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, ValueAndTimestamp<V>> fetchAll(final long timeFrom, final long timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, ValueAndTimestamp<V>> all() {
        return wrapped().all();
    }
}
