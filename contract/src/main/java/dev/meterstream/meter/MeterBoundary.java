package dev.meterstream.meter;

/**
 * Where a shard's task began counting a meter version live: {@code sequence} is the first sequence (dense id in
 * the shard) it counted, so the backfill folds exactly the shard's events below it. A version is backfilled when
 * every shard (every partition of the canonical log) has a boundary and the backfill has reached it.
 *
 * @param sequence the first sequence counted live (0: the shard had no events yet, nothing to backfill)
 */
public record MeterBoundary(long sequence) {
    public MeterBoundary {
        if (sequence < 0) {
            throw new IllegalArgumentException("a boundary's sequence must be >= 0, was " + sequence);
        }
    }
}
