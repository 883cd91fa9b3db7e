package dev.meterstream.event;

import java.math.BigDecimal;

/**
 * The count, exact (decimal) sum, min and max of the quantities of some events: the one place that says how an event
 * folds into a total, for the aggregates of a subject and for the shard rollups alike. The sum is exact, so it does
 * not depend on the order events were added in.
 */
public record WindowTotals(long count, BigDecimal sum, double min, double max) {

    /** The totals of one event. */
    public static WindowTotals of(final UsageEvent event) {
        return new WindowTotals(1, BigDecimal.valueOf(event.quantity()), event.quantity(), event.quantity());
    }

    /** These totals with one more event. */
    public WindowTotals add(final UsageEvent event) {
        return new WindowTotals(count + 1, sum.add(BigDecimal.valueOf(event.quantity())),
                Math.min(min, event.quantity()), Math.max(max, event.quantity()));
    }
}
