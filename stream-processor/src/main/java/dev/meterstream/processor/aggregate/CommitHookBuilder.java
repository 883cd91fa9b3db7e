package dev.meterstream.processor.aggregate;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The builder of a store with a commit hook ({@link CommitHookStore}, {@link CommitHookWindowStore}): the inner
 * builder's store (metered, logged, RocksDB), wrapped; never cached (its owner buffers), always logged; everything
 * else is the inner builder's.
 */
final class CommitHookBuilder<T extends StateStore> implements StoreBuilder<T> {
    private final StoreBuilder<T> inner;
    private final UnaryOperator<T> wrap;
    private final String kind;

    /**
     * @param kind the wrapping class's name, for the refusals
     */
    CommitHookBuilder(final StoreBuilder<T> inner, final UnaryOperator<T> wrap, final String kind) {
        this.inner = inner;
        this.wrap = wrap;
        this.kind = kind;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        throw new UnsupportedOperationException("a " + kind + " is never cached: its owner buffers");
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(final Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        throw new UnsupportedOperationException("a " + kind + " is always logged");
    }

    @Override
    public T build() {
        return wrap.apply(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
