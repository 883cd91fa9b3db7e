package dev.meterstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.WindowSize;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesBucketTest {
    @Test
    void shouldBucketMinutesByDayHoursByMonthDaysByYear() {
        final Instant time = Instant.parse("2026-03-17T13:45:00Z");
        assertEquals(Instant.parse("2026-03-17T00:00:00Z"), SeriesBucket.of(WindowSize.MINUTE, time));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), SeriesBucket.of(WindowSize.HOUR, time));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), SeriesBucket.of(WindowSize.DAY, time));
    }

    @Test
    void shouldCoverEveryBucketOfAHalfOpenRange() {
        assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")),
                SeriesBucket.covering(WindowSize.HOUR, Instant.parse("2026-01-31T23:00:00Z"),
                        Instant.parse("2026-02-01T01:00:00Z")));
        assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z")),
                SeriesBucket.covering(WindowSize.HOUR, Instant.parse("2026-01-31T23:00:00Z"),
                        Instant.parse("2026-02-01T00:00:00Z")), "the end is exclusive");
        assertEquals(List.of(), SeriesBucket.covering(WindowSize.DAY, Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z")));
    }

    @Test
    void shouldKeepASubjectsMinutesHoursAndDaysOfAMonthInOnePartition() {
        // The last minute, hour and day of March hold one partition; the next minute is April's.
        assertEquals(LocalDate.parse("2026-03-01"), SeriesBucket.month(Instant.parse("2026-03-31T23:59:00Z")));
        assertEquals(LocalDate.parse("2026-03-01"), SeriesBucket.month(Instant.parse("2026-03-31T23:00:00Z")));
        assertEquals(LocalDate.parse("2026-03-01"), SeriesBucket.month(Instant.parse("2026-03-31T00:00:00Z")));
        assertEquals(LocalDate.parse("2026-04-01"), SeriesBucket.month(Instant.parse("2026-04-01T00:00:00Z")));
    }

    @Test
    void shouldCoverEveryMonthOfAHalfOpenRange() {
        assertEquals(List.of(LocalDate.parse("2025-12-01"), LocalDate.parse("2026-01-01")),
                SeriesBucket.months(Instant.parse("2025-12-31T23:00:00Z"), Instant.parse("2026-01-01T00:01:00Z")));
        assertEquals(List.of(LocalDate.parse("2025-12-01")),
                SeriesBucket.months(Instant.parse("2025-12-31T23:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")),
                "the end is exclusive");
        assertEquals(List.of(), SeriesBucket.months(Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z")));
    }
}
