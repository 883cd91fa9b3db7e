package dev.meterstream.processor.aggregate;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A logged, uncached key-value store that runs a hook just before each commit, where Kafka Streams flushes record
 * caches: inside the transaction, before the producer is flushed. A processor that keeps its own write-behind
 * buffer (objects, not bytes; a hash map, not the record cache's sorted map) writes it into the store there, and
 * the writes reach RocksDB and the changelog in the same transaction as the input offsets they cover, as the
 * record cache's own would.
 *
 * <p>Kafka Streams calls that flush only on stores that are caches ({@code CachedStateStore}, an internal
 * interface that {@link WrappedStateStore} implements), and hands processors its stores behind a decorator; so this
 * class, like {@link CommitForwarder}, reaches into its internals, in this one place. A Kafka upgrade that changes
 * them breaks {@code DefinedMetersTopologyTest} at once (the states would never be written).
 */
public final class CommitHookStore extends CommitHooked<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {

    private CommitHookStore(final KeyValueStore<Bytes, byte[]> wrapped) {
        super(wrapped);
    }

    /** A persistent store named {@code name}, logged to its changelog and not cached, with a commit hook. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(final String name) {
        return new CommitHookBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray()), CommitHookStore::new, "CommitHookStore");
    }

    /**
     * Runs {@code hook} before each commit of the task that owns {@code store} (as a processor got it from its
     * context), replacing any hook set before: call it from {@code Processor#init}.
     */
    public static void beforeCommit(final StateStore store, final Runnable hook) {
        StateStore current = store;
        while (!(current instanceof CommitHooked)) {
            if (!(current instanceof WrappedStateStore<?, ?, ?> wrapper)) {
                throw new IllegalStateException("store " + store.name() + " is not built by CommitHookStore.builder"
                        + " or CommitHookWindowStore.builder");
            }
            current = wrapper.wrapped();
        }
        ((CommitHooked<?, ?, ?>) current).hook(hook);
    }

    @Override
    public byte[] get(final Bytes key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(final Bytes from, final Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public void put(final Bytes key, final byte[] value) {
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(final Bytes key, final byte[] value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(final List<KeyValue<Bytes, byte[]>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(final Bytes key) {
        return wrapped().delete(key);
    }
}
