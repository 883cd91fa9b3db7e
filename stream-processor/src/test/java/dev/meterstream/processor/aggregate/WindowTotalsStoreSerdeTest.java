package dev.meterstream.processor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateJson;
import dev.meterstream.event.WindowSize;
import dev.meterstream.event.WindowTotals;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowTotalsStoreSerdeTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldRoundTripSumsThatFitALongAndSumsThatDoNot() {
        for (final WindowTotals totals : new WindowTotals[] {
            new WindowTotals(3, new BigDecimal("1.0"), 0.1, 0.7),
            new WindowTotals(1, new BigDecimal("-9223372036854775808"), -1, -1),
            new WindowTotals(12_345_678_901L, new BigDecimal("123456789012345678901234567890.000000000001"), 0.0,
                    1e300),
            new WindowTotals(2, new BigDecimal("9223372036854775808"), 0, 1)}) {
            assertEquals(totals, WindowTotalsStoreSerde.read(WindowTotalsStoreSerde.write(totals)));
        }
    }

    @Test
    void shouldStillReadStoresThatHeldWholeAggregates() {
        final WindowAggregate aggregate = new WindowAggregate("acme", "m", "s", WindowSize.HOUR, START, 3,
                new BigDecimal("0.3"), 0.1, 0.2);
        final WindowTotals totals = new WindowTotals(3, new BigDecimal("0.3"), 0.1, 0.2);
        assertEquals(totals, WindowTotalsStoreSerde.read(WindowAggregateStoreSerde.write(aggregate)));
        assertEquals(totals, WindowTotalsStoreSerde.read(WindowAggregateJson.write(aggregate)));
    }
}
