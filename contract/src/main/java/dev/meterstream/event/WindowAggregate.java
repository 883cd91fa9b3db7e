package dev.meterstream.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The totals of one tenant/meter/subject in one event-time window, as absolute values (never increments), so that
 * writing the latest one for a key downstream is idempotent. Sum, min and max are exact decimals (see
 * {@link Quantity}); the sum does not depend on the order events were added in.
 *
 * <p>A <em>shard rollup</em> is the same totals over all subjects of a tenant's meter whose events were read from
 * one raw partition (the shard); its subject is {@code *<shard>}, which no real subject can be (subjects may not
 * start with {@code *}). The totals of all subjects are the merge of every shard's.
 */
public record WindowAggregate(
        String tenant,
        String meter,
        String subject,
        WindowSize size,
        Instant windowStart,
        long count,
        BigDecimal sum,
        BigDecimal min,
        BigDecimal max) {

    /** The subject of a shard rollup starts with this. */
    public static final String ROLLUP_PREFIX = "*";

    /** The aggregate of one event. */
    public static WindowAggregate of(final UsageEvent event, final WindowSize size) {
        return first(event, event.subject(), size);
    }

    /** The shard rollup of one event read from raw partition {@code shard}. */
    public static WindowAggregate rollupOf(final UsageEvent event, final WindowSize size, final int shard) {
        return first(event, ROLLUP_PREFIX + shard, size);
    }

    /** The totals of one event, filed under {@code subject}. */
    private static WindowAggregate first(final UsageEvent event, final String subject, final WindowSize size) {
        return of(event.tenant(), event.meter(), subject, size, size.start(event.timestamp()), WindowTotals.of(event));
    }

    /**
     * The aggregate of series {@code seriesKey} ({@code tenant/meter/subject}, as {@link #seriesKey} makes it;
     * tenants and meters are slugs, so the first two '/' split it, and a subject may hold '/').
     */
    public static WindowAggregate ofSeries(final String seriesKey, final WindowSize size, final Instant windowStart,
                                           final WindowTotals totals) {
        final int afterTenant = seriesKey.indexOf('/');
        final int afterMeter = seriesKey.indexOf('/', afterTenant + 1);
        if (afterTenant < 0 || afterMeter < 0) {
            throw new IllegalArgumentException("not a series key (tenant/meter/subject): " + seriesKey);
        }
        return of(seriesKey.substring(0, afterTenant), seriesKey.substring(afterTenant + 1, afterMeter),
                seriesKey.substring(afterMeter + 1), size, windowStart, totals);
    }

    private static WindowAggregate of(final String tenant, final String meter, final String subject,
                                      final WindowSize size, final Instant windowStart, final WindowTotals totals) {
        return new WindowAggregate(tenant, meter, subject, size, windowStart, totals.count(), totals.sum(),
                totals.min(), totals.max());
    }

    /** Count, sum, min and max, without whose and which window they are. */
    public WindowTotals totals() {
        return new WindowTotals(count, sum, min, max);
    }

    /** Whether this is a shard rollup rather than one subject's totals. */
    public boolean isRollup() {
        return subject.startsWith(ROLLUP_PREFIX);
    }

    /** The shard of a rollup. */
    public int rollupShard() {
        if (!isRollup()) {
            throw new IllegalStateException("not a shard rollup: " + key());
        }
        return Integer.parseInt(subject.substring(ROLLUP_PREFIX.length()));
    }

    /** This aggregate with one more event of the same key and window. */
    public WindowAggregate add(final UsageEvent event) {
        return of(tenant, meter, subject, size, windowStart, totals().add(event));
    }

    /** The key of the series this aggregate belongs to: {@code tenant/meter/subject}. */
    public static String seriesKey(final UsageEvent event) {
        return event.tenant() + '/' + event.meter() + '/' + event.subject();
    }

    /** The Kafka key of this aggregate on {@link Topics#AGGREGATES}: series, window size and start. */
    public String key() {
        return key(tenant, meter, subject, size, windowStart);
    }

    /** The key of the shard rollup one event of raw partition {@code shard} counts in, without making it. */
    public static String rollupKey(final UsageEvent event, final WindowSize size, final int shard) {
        return key(event.tenant(), event.meter(), ROLLUP_PREFIX + shard, size, size.start(event.timestamp()));
    }

    private static String key(final String tenant, final String meter, final String subject, final WindowSize size,
                              final Instant windowStart) {
        return tenant + '/' + meter + '/' + subject + '/' + size + '/' + Timestamps.format(windowStart);
    }

    /**
     * The aggregate with this {@link #key} and these totals. Tenants and meters are slugs and a rollup's subject
     * ({@code *<shard>}) holds no '/', so only a rollup key splits unambiguously; a subject's may hold '/'.
     */
    public static WindowAggregate ofRollupKey(final String key, final WindowTotals totals) {
        final String[] parts = rollupParts(key);
        return of(parts[0], parts[1], parts[2], WindowSize.valueOf(parts[3]), Timestamps.parse(parts[4]), totals);
    }

    /** When the window of the shard rollup with this {@link #key} ends: all its expiry needs, without its totals. */
    public static Instant rollupWindowEnd(final String key) {
        final String[] parts = rollupParts(key);
        return WindowSize.valueOf(parts[3]).end(Timestamps.parse(parts[4]));
    }

    private static String[] rollupParts(final String key) {
        final String[] parts = key.split("/", -1);
        if (parts.length != 5 || !parts[2].startsWith(ROLLUP_PREFIX)) {
            throw new IllegalArgumentException("not a shard rollup key (tenant/meter/*shard/SIZE/start): " + key);
        }
        return parts;
    }
}
