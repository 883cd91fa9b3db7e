package dev.meterstream.processor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateBytes;
import dev.meterstream.event.WindowAggregateJson;
import dev.meterstream.event.WindowSize;
import dev.meterstream.event.WindowTotals;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowTotalsStoreSerdeTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldRoundTripSumsThatFitALongAndSumsThatDoNot() {
        for (final WindowTotals totals : new WindowTotals[] {
            new WindowTotals(3, new BigDecimal("1.0"), new BigDecimal("0.1"), new BigDecimal("0.7")),
            new WindowTotals(1, new BigDecimal("-9223372036854775808"), BigDecimal.ONE, BigDecimal.ONE),
            new WindowTotals(12_345_678_901L, new BigDecimal("123456789012345678901234567890.000000000001"),
                    new BigDecimal("0.000000000000000001"), new BigDecimal("99999999999999999999999999999999999999")),
            new WindowTotals(2, new BigDecimal("9223372036854775808"), new BigDecimal("9007199254740993"),
                    new BigDecimal("9223372036854775808"))}) {
            assertEquals(totals, WindowTotalsStoreSerde.read(WindowTotalsStoreSerde.write(totals)));
        }
    }

    @Test
    void shouldRefuseStateInAnotherFormatRatherThanMisreadIt() {
        final WindowAggregate aggregate = new WindowAggregate("acme", "m", "s", WindowSize.HOUR, START, 3,
                new BigDecimal("0.3"), new BigDecimal("0.1"), new BigDecimal("0.2"));
        assertThrows(StateFormatException.class, () -> WindowTotalsStoreSerde.read(
                WindowAggregateBytes.write(aggregate)));
        assertThrows(StateFormatException.class, () -> WindowTotalsStoreSerde.read(
                WindowAggregateJson.write(aggregate)));
        // Version 2 (min and max as doubles), which no deployment holds.
        final ByteBuffer version2 = ByteBuffer.allocate(1 + 8 + 4 + 1 + 8 + 8 + 8);
        version2.put((byte) 2).putLong(3).putInt(1).put((byte) 0).putLong(3).putDouble(0.1).putDouble(0.2);
        assertThrows(StateFormatException.class, () -> WindowTotalsStoreSerde.read(version2.array()));
    }
}
