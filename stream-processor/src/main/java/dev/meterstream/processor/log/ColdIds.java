package dev.meterstream.processor.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * How the cold dedupe tier files an id: under a 16-byte hash of its key (a fixed, short key whatever the id's
 * length; two keys share a hash with odds of about n^2 / 2^129, under 1e-17 for 50 billion ids in one horizon),
 * at the start of the bucket its receipt time falls in. Buckets are half a horizon long, so the horizon before any
 * time touches at most three of them, and a store that keeps a horizon and a bucket (plus slack) keeps every
 * bucket a lookup can need.
 */
final class ColdIds {
    static final int HASH_BYTES = 16;
    private static final int BUCKETS_PER_HORIZON = 2;

    private final long horizonMillis;
    private final long bucketMillis;
    private final MessageDigest sha256;

    ColdIds(final Duration horizon) {
        this.horizonMillis = horizon.toMillis();
        this.bucketMillis = Math.max(1, horizonMillis / BUCKETS_PER_HORIZON);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** How long the cold store must keep what it files (the slack covers stream time running ahead). */
    static Duration retention(final Duration horizon, final Duration slack) {
        return horizon.plus(horizon.dividedBy(BUCKETS_PER_HORIZON)).plus(slack);
    }

    Bytes id(final String key) {
        return Bytes.wrap(Arrays.copyOf(sha256.digest(key.getBytes(StandardCharsets.UTF_8)), HASH_BYTES));
    }

    long bucketMillis() {
        return bucketMillis;
    }

    /** The start of the bucket a time falls in. */
    long bucket(final long time) {
        return Math.floorDiv(time, bucketMillis) * bucketMillis;
    }

    /** The first bucket a copy received at {@code time} must look in. */
    long firstBucket(final long time) {
        // Record times are never before 1970, so neither is a bucket worth reading.
        return bucket(Math.max(0, time - horizonMillis));
    }

    /**
     * Whether a copy received at {@code time} is within the horizon of the first copy's receipt (or, with clocks a
     * little apart, before it).
     */
    boolean withinHorizon(final long firstReceived, final long time) {
        return Math.abs(time - firstReceived) <= horizonMillis;
    }
}
