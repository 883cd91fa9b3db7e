package dev.meterstream.support.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps only its {@code bound} most recently used entries: a get or put moves an entry to the young end,
 * and a put past the bound drops the eldest. For copies kept in memory in front of a store or a table (the processor's
 * written window totals and shard rollups, the sink's ranked rows), where a miss costs a read or an older row, never
 * a wrong answer. Not thread-safe: each user is one thread's.
 */
public final class RecentlyUsed<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final int bound;

    /**
     * @param bound most entries kept; 0 keeps none (a put is dropped at once)
     */
    public RecentlyUsed(final int bound) {
        super(initialCapacity(bound), 0.75f, true);
        this.bound = bound;
    }

    private static int initialCapacity(final int bound) {
        if (bound < 0) {
            throw new IllegalArgumentException("a bound of 0 entries or more is needed, was " + bound);
        }
        return Math.min(bound, 1024);
    }

    @Override
    protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
        return size() > bound;
    }
}
