package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void shouldReadEveryShapeInstantPrintsExactlyAsInstantParseDoes() {
        for (final String text : List.of("2026-11-23T24:00:00Z", "2026-11-23T10:59:07Z", "2026-11-23T10:59:07.100Z",
                "2026-11-23T10:59:07.123456Z", "2026-11-23T10:59:07.123456789Z", "1970-01-01T00:00:00Z",
                "2024-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z", "2026-11-23T10:59:07+01:00")) {
            assertEquals(Instant.parse(text), Timestamps.parse(text), text);
        }
        final Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            final Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            assertEquals(instant, Timestamps.parse(instant.toString()), instant.toString());
        }
    }

    @Test
    void shouldWriteExactlyWhatInstantToStringWrites() {
        final List<Instant> edges = List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-11-23T10:59:07.100Z"), Instant.parse("2026-11-23T10:59:07.000100Z"),
                Instant.parse("2026-11-23T10:59:07.000000100Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.MAX, Instant.MIN);
        for (final Instant instant : edges) {
            assertEquals(instant.toString(), Timestamps.format(instant));
        }
        final Random random = new Random(2);
        for (int i = 0; i < 100_000; i++) {
            final int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            final Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), nanos);
            assertEquals(instant.toString(), Timestamps.format(instant));
        }
    }

    @Test
    void shouldRejectWhatInstantParseRejects() {
        for (final String text : List.of("2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T10:59Z",
                "2026-11-23 10:59:07Z", "yesterday", "2026-11-23T10:59:07.1234567890Z")) {
            assertThrows(DateTimeParseException.class, () -> Instant.parse(text), "the reference rejects " + text);
            assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text), text);
        }
    }

    /**
     * The edge's reading of an event's timestamp against the formatter it stands in for: the same instant, or both
     * refusing, for every shape the formatter writes and for random damage to them.
     */
    @Test
    void shouldReadOffsetDateTimesExactlyAsTheIsoFormatterDoes() {
        for (final String text : List.of("2026-11-23T10:59:07Z", "2026-11-23T10:59:07+01:00",
                "2026-11-23T10:59:07-05:30", "2026-11-23T10:59:07.5+14:00", "2026-11-23T10:59:07-00:00",
                "2026-11-23T10:59:07+18:00", "2026-11-23T10:59:07+17:59", "2026-11-23T10:59:07+19:00",
                "2026-11-23t10:59:07z", "2026-11-23T10:59Z", "2026-11-23T10:59:07+0100", "2026-11-23T10:59:07+01",
                "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "0000-01-01T00:00:00Z",
                "2026-11-23T23:59:60Z", "2026-11-23T24:00:00Z", "2026-11-23T10:59:07.1234567890Z",
                "2026-11-23T10:59:07.Z", "+2026-11-23T10:59:07Z", "2026-11-23T10:59:07+01:00:30")) {
            assertSameReading(text);
        }
        final Random random = new Random(3);
        final String damage = "0123456789-+:.TZtz ";
        for (int i = 0; i < 200_000; i++) {
            final int nanos = random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000);
            final ZoneOffset offset = random.nextInt(3) == 0 ? ZoneOffset.UTC
                    : ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            final String text = OffsetDateTime.ofInstant(Instant.ofEpochSecond(
                    random.nextLong(-62_167_219_200L, 253_402_300_800L), nanos), offset)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertSameReading(text);
            final StringBuilder damaged = new StringBuilder(text);
            final int at = random.nextInt(damaged.length());
            switch (random.nextInt(3)) {
                case 0 -> damaged.setCharAt(at, damage.charAt(random.nextInt(damage.length())));
                case 1 -> damaged.deleteCharAt(at);
                default -> damaged.insert(at, damage.charAt(random.nextInt(damage.length())));
            }
            assertSameReading(damaged.toString());
        }
    }

    private static void assertSameReading(final String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (final DateTimeParseException e) {
            expected = null;
        }
        if (expected == null) {
            assertThrows(DateTimeParseException.class, () -> Timestamps.parseWithOffset(text), text);
        } else {
            assertEquals(expected, Timestamps.parseWithOffset(text), text);
        }
    }
}
