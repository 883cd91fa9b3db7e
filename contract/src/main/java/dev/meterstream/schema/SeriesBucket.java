package dev.meterstream.schema;

import dev.meterstream.event.WindowSize;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Which slice of a series' windows share a Cassandra partition, so that a partition stays small however long a
 * series lives. One subject's series ({@code aggregates_by_subject_month}): a UTC month of all its windows, minutes,
 * hours and days together ({@link #month}), so that the three windows an event changes are one partition update.
 * The shard rollups ({@code aggregates_by_shard}, a row per shard and window): minutes by UTC day, hours by UTC
 * month, days by UTC year ({@link #of}).
 */
public final class SeriesBucket {
    private SeriesBucket() {
    }

    /** The month (its first day, UTC) whose partition holds a subject's window starting at {@code windowStart}. */
    public static LocalDate month(final Instant windowStart) {
        return day(windowStart).withDayOfMonth(1);
    }

    /** The months holding the windows that start in [from, to), in order. */
    public static List<LocalDate> months(final Instant from, final Instant to) {
        final List<LocalDate> months = new ArrayList<>();
        if (!from.isBefore(to)) {
            return months;
        }
        final LocalDate last = month(to.minusNanos(1));
        for (LocalDate month = month(from); !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month);
        }
        return months;
    }

    /** The shard rollups' bucket (its first instant, UTC) of the window starting at {@code windowStart}. */
    public static Instant of(final WindowSize size, final Instant windowStart) {
        final ZonedDateTime time = windowStart.atZone(ZoneOffset.UTC);
        return switch (size) {
            case MINUTE -> time.truncatedTo(ChronoUnit.DAYS).toInstant();
            case HOUR -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
            case DAY -> time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1).toInstant();
        };
    }

    /** The shard rollups' buckets holding the windows that start in [from, to), in order. */
    public static List<Instant> covering(final WindowSize size, final Instant from, final Instant to) {
        final List<Instant> buckets = new ArrayList<>();
        if (!from.isBefore(to)) {
            return buckets;
        }
        final Instant last = of(size, to.minusNanos(1));
        for (Instant bucket = of(size, from); !bucket.isAfter(last); bucket = next(size, bucket)) {
            buckets.add(bucket);
        }
        return buckets;
    }

    private static Instant next(final WindowSize size, final Instant bucket) {
        final ZonedDateTime time = bucket.atZone(ZoneOffset.UTC);
        return switch (size) {
            case MINUTE -> time.plusDays(1).toInstant();
            case HOUR -> time.plusMonths(1).toInstant();
            case DAY -> time.plusYears(1).toInstant();
        };
    }

    /** The UTC day of an instant, as the {@code day} key of {@code events_by_subject_day}. */
    public static LocalDate day(final Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }
}
