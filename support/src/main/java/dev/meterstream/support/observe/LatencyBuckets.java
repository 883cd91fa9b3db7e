package dev.meterstream.support.observe;

import java.time.Duration;

/**
 * The histogram buckets every latency timer of the services uses, so that their Prometheus series line up: fine
 * around the 20-50 ms targets, coarse beyond, up to the 10 s of a stalled write.
 */
public final class LatencyBuckets {
    private LatencyBuckets() {
    }

    /** A fresh copy (Helidon's builders keep the array they are given). */
    public static Duration[] standard() {
        return new Duration[] {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};
    }
}
