package dev.meterstream.support.kafka;

import java.time.Duration;

/** The one rule for a consumer's {@code fetch.max.wait.ms} as this project configures it. */
public final class FetchWait {
    /** The longest wait: the views would lag by more. */
    public static final Duration MAX = Duration.ofSeconds(1);

    private FetchWait() {
    }

    /**
     * Returns {@code value} if it is more than 0 and at most {@link #MAX}; otherwise an error naming {@code key}.
     * 0 would make every fetch return at once, data or not: the consumer would spin against the brokers.
     */
    public static Duration checked(final String key, final Duration value) {
        if (value.isNegative() || value.isZero() || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(key + " must be more than 0 and at most 1 s, was " + value);
        }
        return value;
    }
}
