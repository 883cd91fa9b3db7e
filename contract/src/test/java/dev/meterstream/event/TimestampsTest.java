package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
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
}
