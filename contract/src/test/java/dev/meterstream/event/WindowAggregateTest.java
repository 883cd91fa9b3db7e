package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowAggregateTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldSplitTheSeriesKeyAtTheSlugsSoASubjectMayHoldSlashes() {
        final WindowTotals totals = new WindowTotals(2, new BigDecimal("2.5"), BigDecimal.ONE,
                new BigDecimal("1.5"));
        assertEquals(new WindowAggregate("acme", "gpu.seconds", "team/jöb/7", WindowSize.DAY, START, 2,
                        new BigDecimal("2.5"), BigDecimal.ONE, new BigDecimal("1.5")),
                WindowAggregate.ofSeries("acme/gpu.seconds/team/jöb/7", WindowSize.DAY, START, totals));
    }
}
