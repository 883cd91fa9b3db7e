package dev.meterstream.event;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the UTC instants of the wire formats ({@code Instant.toString()}: {@code 2026-11-23T10:59:00.123456789Z},
 * seconds and fraction optional as Instant prints them). The processor reads two per event, twice per event, and
 * {@link Instant#parse} (a general formatter) was a tenth of its CPU; this reads the one shape by hand and hands
 * anything else to {@link Instant#parse}, so it accepts exactly what that accepts.
 */
final class Timestamps {
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
