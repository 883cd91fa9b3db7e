package dev.meterstream.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;

/**
 * Reads and writes the UTC instants of the wire formats ({@code Instant.toString()}:
 * {@code 2026-11-23T10:59:00.123456789Z}, seconds and fraction optional as Instant prints them). The processor reads
 * two per event, twice per event, and {@link Instant#parse} (a general formatter) was a tenth of its CPU; this reads
 * the one shape by hand and hands anything else to {@link Instant#parse}, so it accepts exactly what that accepts.
 * Writing is the same story ({@link Instant#toString} was 5% of the processor's CPU, for the log's JSON and the
 * aggregates' keys): {@link #format} writes what {@link Instant#toString} writes, by hand for years 0 to 9999.
 */
final class Timestamps {
    private static final long MIN_FAST_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_FAST_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000};

    private Timestamps() {
    }

    static Instant parse(final String text) {
        final Instant fast = fast(text, false);
        return fast != null ? fast : Instant.parse(text);
    }

    /**
     * What {@code OffsetDateTime.parse(text, ISO_OFFSET_DATE_TIME).toInstant()} reads, as the edge reads an event's
     * timestamp: the usual shapes ({@code Z} or {@code +HH:MM}) by hand, anything else by that formatter, which was
     * a tenth of the edge's request path (docs/benchmarks.md, "Session 26").
     */
    static Instant parseWithOffset(final String text) {
        final Instant fast = fast(text, true);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 9 digits, then {@code Z} or (with {@code offsets})
     * {@code +HH:MM} or {@code -HH:MM}, every field in range; null for anything else, which the caller's formatter
     * then reads or refuses.
     */
    private static Instant fast(final String text, final boolean offsets) {
        final int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        final int end;
        int offsetSeconds = 0;
        final char last = text.charAt(length - 1);
        if (last == 'Z') {
            end = length - 1;
        } else if (offsets && length >= 25 && text.charAt(length - 3) == ':'
                && (text.charAt(length - 6) == '+' || text.charAt(length - 6) == '-')) {
            end = length - 6;
            final int offsetHours = digits(text, length - 5, length - 3);
            final int offsetMinutes = digits(text, length - 2, length);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (offsetHours * 3_600 + offsetMinutes * 60) * (text.charAt(length - 6) == '-' ? -1 : 1);
        } else {
            return null;
        }
        final int year = digits(text, 0, 4);
        final int month = digits(text, 5, 7);
        final int day = digits(text, 8, 10);
        final int hour = digits(text, 11, 13);
        final int minute = digits(text, 14, 16);
        final int second = digits(text, 17, 19);
        int nanos = 0;
        if (end > 19) {
            final int fractionDigits = end - 20;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            nanos = digits(text, 20, end);
            if (nanos < 0) {
                return null;
            }
            nanos *= POWERS_OF_TEN[9 - fractionDigits];
        } else if (end != 19) {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        final long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds,
                nanos);
    }

    /** Exactly {@link Instant#toString}: the fraction in groups of three digits, none when it is zero. */
    static String format(final Instant instant) {
        final long seconds = instant.getEpochSecond();
        final long epochDay = Math.floorDiv(seconds, 86_400);
        if (epochDay < MIN_FAST_EPOCH_DAY || epochDay > MAX_FAST_EPOCH_DAY) {
            return instant.toString();
        }
        final LocalDate date = LocalDate.ofEpochDay(epochDay);
        final int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        final int nanos = instant.getNano();
        final byte[] text = new byte[20 + (nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 4 : nanos % 1_000 == 0 ? 7 : 10)];
        put(text, 0, date.getYear(), 4);
        text[4] = '-';
        put(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, secondOfDay / 3_600, 2);
        text[13] = ':';
        put(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            text[19] = '.';
            final int digits = text.length - 21;
            put(text, 20, nanos / POWERS_OF_TEN[9 - digits], digits);
        }
        text[text.length - 1] = 'Z';
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded. */
    private static void put(final byte[] text, final int at, final int value, final int width) {
        int rest = value;
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 if any of it is not a digit. */
    private static int digits(final String text, final int from, final int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
