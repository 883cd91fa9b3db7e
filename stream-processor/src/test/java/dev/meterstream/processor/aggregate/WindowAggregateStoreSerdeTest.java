package dev.meterstream.processor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateJson;
import dev.meterstream.event.WindowSize;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowAggregateStoreSerdeTest {
    @Test
    void shouldRoundTripEveryFieldIncludingAnExactDecimalSum() {
        final WindowAggregate aggregate = new WindowAggregate("acme", "gpu.seconds", "jöb-1", WindowSize.HOUR,
                Instant.parse("2026-11-23T12:00:00Z"), 12_345_678_901L,
                new BigDecimal("123456789012345678901234567890.000000000001"), new BigDecimal("0.000000000000000001"),
                new BigDecimal("9007199254740993"));
        assertEquals(aggregate, WindowAggregateStoreSerde.read(WindowAggregateStoreSerde.write(aggregate)));
    }

    @Test
    void shouldRefuseStoresWrittenInTheEarlierJsonForm() {
        final WindowAggregate aggregate = new WindowAggregate("acme", "m", "s", WindowSize.DAY,
                Instant.parse("2026-11-23T00:00:00Z"), 3, new BigDecimal("0.3"), new BigDecimal("0.1"),
                new BigDecimal("0.2"));
        assertThrows(StateFormatException.class, () -> WindowAggregateStoreSerde.read(
                WindowAggregateJson.write(aggregate)));
    }
}
