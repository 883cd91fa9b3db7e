package dev.meterstream.meter;

import dev.meterstream.event.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The exact state of one defined meter for one group in one window: what its aggregation needs and nothing else,
 * folded so that the order of events does not matter (a late or replayed event lands where it would have had it
 * come in order, and the log holds each event once, so nothing is counted twice).
 *
 * <ul>
 *   <li>SUM, AVG: count and sum (AVG is sum over count when read, exact to 34 digits);</li>
 *   <li>COUNT: count; MIN, MAX: count and the extreme;</li>
 *   <li>LATEST: the value of the event with the latest time, the lowest log id breaking ties;</li>
 *   <li>UNIQUE_COUNT: the distinct values themselves (exact, and so windows and ranges can be united).</li>
 * </ul>
 *
 * @param count         events folded in
 * @param number        SUM/AVG: the sum; MIN/MAX: the extreme; LATEST: the latest value; else null
 * @param latestTime    LATEST: the time of the event holding {@code number}
 * @param latestLogId   LATEST: its log id (packed)
 * @param distinct      UNIQUE_COUNT: the distinct values; else empty
 */
public record MeterState(long count, BigDecimal number, Instant latestTime, long latestLogId,
                         SortedSet<String> distinct) {
    /** AVG's precision when read: 34 significant digits (IEEE 754 decimal128), far past any quantity. */
    public static final MathContext AVERAGE = MathContext.DECIMAL128;

    /** Shared by every state without distinct values: all but UNIQUE_COUNT's, which are folded per event. */
    private static final SortedSet<String> NONE = Collections.unmodifiableSortedSet(new TreeSet<>());

    public MeterState {
        // Identity first: all but UNIQUE_COUNT share NONE, and this runs per fold.
        distinct = distinct == NONE || distinct.isEmpty() ? NONE
                : Collections.unmodifiableSortedSet(new TreeSet<>(distinct));
    }

    public static MeterState empty() {
        return new MeterState(0, null, null, 0, NONE);
    }

    /** This state with {@code input} folded in, as {@code aggregation} folds. */
    public MeterState add(final Aggregation aggregation, final MeterInput input) {
        return switch (aggregation) {
            case COUNT -> new MeterState(count + 1, null, null, 0, distinct);
            case SUM, AVG -> new MeterState(count + 1, number == null ? input.number() : number.add(input.number()),
                    null, 0, distinct);
            case MIN -> new MeterState(count + 1, number == null || input.number().compareTo(number) < 0
                    ? input.number() : number, null, 0, distinct);
            case MAX -> new MeterState(count + 1, number == null || input.number().compareTo(number) > 0
                    ? input.number() : number, null, 0, distinct);
            case LATEST -> later(input) ? new MeterState(count + 1, input.number(), input.time(), input.logId(),
                    distinct) : new MeterState(count + 1, number, latestTime, latestLogId, distinct);
            case UNIQUE_COUNT -> {
                final TreeSet<String> values = new TreeSet<>(distinct);
                values.add(input.text());
                yield new MeterState(count + 1, null, null, 0, values);
            }
        };
    }

    /** Two states of the same meter and group in disjoint sets of events, as one (windows into a range). */
    public MeterState merge(final Aggregation aggregation, final MeterState other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        return switch (aggregation) {
            case COUNT -> new MeterState(count + other.count, null, null, 0, distinct);
            case SUM, AVG -> new MeterState(count + other.count, number.add(other.number), null, 0, distinct);
            case MIN -> new MeterState(count + other.count, number.min(other.number), null, 0, distinct);
            case MAX -> new MeterState(count + other.count, number.max(other.number), null, 0, distinct);
            case LATEST -> laterThan(other.latestTime, other.latestLogId, latestTime, latestLogId)
                    ? new MeterState(count + other.count, other.number, other.latestTime, other.latestLogId, distinct)
                    : new MeterState(count + other.count, number, latestTime, latestLogId, distinct);
            case UNIQUE_COUNT -> {
                final TreeSet<String> values = new TreeSet<>(distinct);
                values.addAll(other.distinct);
                yield new MeterState(count + other.count, null, null, 0, values);
            }
        };
    }

    /** The meter's value: a number, exact (AVG to {@link #AVERAGE}); null when no event was folded in. */
    public BigDecimal value(final Aggregation aggregation) {
        if (count == 0) {
            return null;
        }
        return switch (aggregation) {
            case COUNT -> BigDecimal.valueOf(count);
            case UNIQUE_COUNT -> BigDecimal.valueOf(distinct.size());
            case AVG -> Quantity.canonical(number.divide(BigDecimal.valueOf(count), AVERAGE));
            case SUM, MIN, MAX, LATEST -> number;
        };
    }

    private boolean later(final MeterInput input) {
        return count == 0 || laterThan(input.time(), input.logId(), latestTime, latestLogId);
    }

    /** Later time wins; at the same time the lower log id does. */
    private static boolean laterThan(final Instant time, final long logId, final Instant thanTime,
                                     final long thanLogId) {
        final int byTime = time.compareTo(thanTime);
        return byTime > 0 || (byTime == 0 && logId < thanLogId);
    }
}
