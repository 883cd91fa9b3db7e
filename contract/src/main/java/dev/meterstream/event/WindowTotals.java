package dev.meterstream.event;

import java.math.BigDecimal;

/**
 * The count, sum, min and max of the quantities of some events, all exact decimals: the one place that says how an
 * event folds into a total, for the aggregates of a subject and for the shard rollups alike. The sum is exact, so it
 * does not depend on the order events were added in.
 */
public record WindowTotals(long count, BigDecimal sum, BigDecimal min, BigDecimal max) {

    /** The totals of one event. */
    public static WindowTotals of(final UsageEvent event) {
        return new WindowTotals(1, event.quantity(), event.quantity(), event.quantity());
    }

    /** These totals with one more event. */
    public WindowTotals add(final UsageEvent event) {
        final BigDecimal quantity = event.quantity();
        return new WindowTotals(count + 1, sum.add(quantity), quantity.compareTo(min) < 0 ? quantity : min,
                quantity.compareTo(max) > 0 ? quantity : max);
    }

    /** These totals and another's together (the shards of one window). */
    public WindowTotals merge(final WindowTotals other) {
        return new WindowTotals(count + other.count, sum.add(other.sum), other.min.compareTo(min) < 0 ? other.min
                : min, other.max.compareTo(max) > 0 ? other.max : max);
    }
}
