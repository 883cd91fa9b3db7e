package dev.meterstream.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

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
        final int length = text.length();
        // yyyy-MM-ddTHH:mm:ss then optional .fraction, then Z
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return Instant.parse(text);
        }
        try {
            final int year = digits(text, 0, 4);
            final int month = digits(text, 5, 7);
            final int day = digits(text, 8, 10);
            final int hour = digits(text, 11, 13);
            final int minute = digits(text, 14, 16);
            final int second = digits(text, 17, 19);
            int nanos = 0;
            if (length > 20) {
                final int fractionDigits = length - 21;
                if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                    return Instant.parse(text);
                }
                nanos = digits(text, 20, length - 1);
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            if (hour > 23 || minute > 59 || second > 59) {
                return Instant.parse(text);
            }
            final long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (final NumberFormatException | java.time.DateTimeException e) {
            return Instant.parse(text);
        }
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

    private static int digits(final String text, final int from, final int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
