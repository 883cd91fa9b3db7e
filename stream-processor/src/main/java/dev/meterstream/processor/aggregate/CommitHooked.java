package dev.meterstream.processor.aggregate;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A wrapped store that runs a hook just before each commit, where Kafka Streams flushes record caches
 * ({@link CommitHookStore}, {@link CommitHookWindowStore}; {@link CommitHookStore#beforeCommit} sets the hook).
 */
abstract class CommitHooked<S extends StateStore, K, V> extends WrappedStateStore<S, K, V> {
    private Runnable beforeCommit = () -> { };

    CommitHooked(final S wrapped) {
        super(wrapped);
    }

    /** Replaces the hook set before. */
    final void hook(final Runnable hook) {
        beforeCommit = hook;
    }

    @Override
    public final void flushCache() {
        beforeCommit.run();
        super.flushCache();
    }
}
