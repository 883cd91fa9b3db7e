package dev.meterstream.loadtest.open;

/**
 * Response times in milliseconds, counted in buckets of 1 ms below 100 ms, 10 ms below 1 s, 100 ms below 10 s and
 * 1 s below 60 s (one bucket above). A percentile is reported as its bucket's upper edge, so it is never lower
 * than the true value. Not thread-safe: the recorder guards it.
 */
final class LatencyHistogram {
    private static final int BUCKETS = 100 + 90 + 90 + 50 + 1;
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(final long millis) {
        counts[bucket(Math.max(0, millis))]++;
        total++;
        max = Math.max(max, millis);
    }

    void add(final LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long total() {
        return total;
    }

    long max() {
        return max;
    }

    /** The smallest bucket edge at or above the given share (0-100) of the recorded times; 0 if none. */
    long percentile(final double percent) {
        if (total == 0) {
            return 0;
        }
        final long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    private static int bucket(final long millis) {
        if (millis < 100) {
            return (int) millis;
        }
        if (millis < 1_000) {
            return 100 + (int) ((millis - 100) / 10);
        }
        if (millis < 10_000) {
            return 190 + (int) ((millis - 1_000) / 100);
        }
        if (millis < 60_000) {
            return 280 + (int) ((millis - 10_000) / 1_000);
        }
        return BUCKETS - 1;
    }

    private static long upperEdge(final int bucket) {
        if (bucket < 100) {
            return bucket;
        }
        if (bucket < 190) {
            return 100 + (bucket - 100 + 1) * 10L - 1;
        }
        if (bucket < 280) {
            return 1_000 + (bucket - 190 + 1) * 100L - 1;
        }
        if (bucket < 330) {
            return 10_000 + (bucket - 280 + 1) * 1_000L - 1;
        }
        return Long.MAX_VALUE;
    }
}
