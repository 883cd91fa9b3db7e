package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterInputTest {
    private static final MeterDefinition TOKENS = new MeterDefinition("tokens", "llm-call", Aggregation.SUM,
            new PropertyPath("tokens"), Map.of(), "");

    private static MeterInput.Taken take(final String tokens) {
        final Instant now = Instant.parse("2026-11-23T10:00:00Z");
        return MeterInput.of(TOKENS, new SequencedEvent(new UsageEvent("acme", "e", "s", "llm-call", 1, now,
                Map.of("tokens", tokens), now), 0, 1)).orElseThrow();
    }

    /**
     * A producer's property is any text: one that reads as a number with an exponent of a billion is skipped as not
     * a number, in constant work, where it once had the processor raise ten to that power (and stop the thread).
     */
    @Test
    void shouldSkipAValueWithAHugeExponentAsNotANumber() {
        assertEquals(MeterInput.Skip.NOT_A_NUMBER, take("1e999999999").skipped());
        assertEquals(MeterInput.Skip.NOT_A_NUMBER, take("11e1117711173").skipped());
        assertEquals(new java.math.BigDecimal("1200"), take("1.2e3").input().number());
    }
}
