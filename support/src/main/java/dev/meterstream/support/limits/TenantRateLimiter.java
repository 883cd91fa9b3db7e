package dev.meterstream.support.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-tenant token buckets: ingest-api's count events (a batch of 100 costs 100), query-api's requests. A bucket
 * holds one second's worth of its rate, so a tenant may burst to its rate within a second but not beyond it over
 * time.
 */
public final class TenantRateLimiter {
    private final ToDoubleFunction<String> ratePerSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TenantRateLimiter(final ToDoubleFunction<String> ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    /** Takes {@code events} tokens, or says how long until they would be there. Zero means allowed. */
    public Duration acquire(final String tenant, final int events) {
        final double rate = ratePerSecond.applyAsDouble(tenant);
        if (rate <= 0) {
            return Duration.ZERO;
        }
        return buckets.computeIfAbsent(tenant, key -> new Bucket(rate)).acquire(events, System.nanoTime());
    }

    private static final class Bucket {
        private final double rate;
        private double tokens;
        private long refilledAt;

        Bucket(final double rate) {
            this.rate = rate;
            this.tokens = rate;
            this.refilledAt = System.nanoTime();
        }

        synchronized Duration acquire(final int events, final long now) {
            tokens = Math.min(rate, tokens + (now - refilledAt) / 1e9 * rate);
            refilledAt = now;
            if (tokens >= events) {
                tokens -= events;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((events - tokens) / rate * 1e9));
        }
    }
}
