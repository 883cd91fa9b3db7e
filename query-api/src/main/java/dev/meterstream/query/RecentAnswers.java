package dev.meterstream.query;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers computed within the last {@code ttl}, shared by identical requests. Analysts and the dashboards they leave
 * open ask for the same few rankings (this week, this month) over and over, and each costs Cassandra tens of reads;
 * an answer kept for a few seconds is as true as a new one, since it carries the freshness it was computed with.
 * Identical requests that miss at the same time compute once; a failure is not kept. A ttl of zero keeps nothing.
 *
 * @param <K> what identifies an answer (tenant included)
 * @param <V> the answer
 */
final class RecentAnswers<K, V> {
    private record Entry<V>(long expiresAtNanos, CompletableFuture<V> value) {
        boolean liveAt(final long nanos) {
            return expiresAtNanos - nanos > 0;
        }
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;

    RecentAnswers(final Duration ttl, final int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    RecentAnswers(final Duration ttl, final int maxEntries, final LongSupplier nanoClock) {
        if (ttl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("ttl must not be negative and maxEntries at least 1");
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /** The answer for {@code key}: the one computed within the ttl, or a new one from {@code compute}. */
    V get(final K key, final Supplier<V> compute) {
        if (ttlNanos == 0) {
            return compute.get();
        }
        final long now = nanoClock.getAsLong();
        final Entry<V> mine = new Entry<>(now + ttlNanos, new CompletableFuture<>());
        final Entry<V> current = entries.compute(key, (k, existing) ->
                existing != null && existing.liveAt(now) ? existing : mine);
        if (current != mine) {
            return await(current.value());
        }
        if (entries.size() > maxEntries) {
            evict(now);
        }
        try {
            final V value = compute.get();
            mine.value().complete(value);
            return value;
        } catch (final RuntimeException | Error e) {
            entries.remove(key, mine);
            mine.value().completeExceptionally(e);
            throw e;
        }
    }

    /** How many answers are held (expired ones included until the next eviction). */
    int size() {
        return entries.size();
    }

    /** Drops expired answers; if that is not enough (a burst of distinct requests), drops them all. */
    private void evict(final long now) {
        entries.values().removeIf(entry -> !entry.liveAt(now));
        if (entries.size() > maxEntries) {
            entries.clear();
        }
    }

    private static <V> V await(final CompletableFuture<V> value) {
        try {
            return value.join();
        } catch (final CompletionException e) {
            // The request that computed it failed; the ones waiting on it fail the same way.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
