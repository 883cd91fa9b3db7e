package dev.meterstream.processor.aggregate;

import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a windowed aggregate store holds per series and window: only the totals, since the store's key already says
 * whose and which window they are. Keeping tenant, meter and subject out of the value spares a string decode and
 * encode per window size and event on the aggregation's hot path; the full {@link WindowAggregate} is made only
 * for the records the record cache lets through.
 */
public record WindowTotals(long count, BigDecimal sum, double min, double max) {

    public static WindowTotals of(final UsageEvent event) {
        return new WindowTotals(1, BigDecimal.valueOf(event.quantity()), event.quantity(), event.quantity());
    }

    public WindowTotals add(final UsageEvent event) {
        return new WindowTotals(count + 1, sum.add(BigDecimal.valueOf(event.quantity())),
                Math.min(min, event.quantity()), Math.max(max, event.quantity()));
    }

    /**
     * These totals as the aggregate of series {@code seriesKey} ({@code tenant/meter/subject}, as
     * {@link WindowAggregate#seriesKey} makes it; tenants and meters are slugs, so the first two '/' split it).
     */
    public WindowAggregate aggregateOf(final String seriesKey, final WindowSize size, final Instant windowStart) {
        final int afterTenant = seriesKey.indexOf('/');
        final int afterMeter = seriesKey.indexOf('/', afterTenant + 1);
        if (afterTenant < 0 || afterMeter < 0) {
            throw new IllegalArgumentException("not a series key (tenant/meter/subject): " + seriesKey);
        }
        return new WindowAggregate(seriesKey.substring(0, afterTenant), seriesKey.substring(afterTenant + 1,
                afterMeter), seriesKey.substring(afterMeter + 1), size, windowStart, count, sum, min, max);
    }

    static WindowTotals from(final WindowAggregate aggregate) {
        return new WindowTotals(aggregate.count(), aggregate.sum(), aggregate.min(), aggregate.max());
    }
}
