package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTest {
    private static UsageEvent event(final String subject, final Map<String, String> properties) {
        return new UsageEvent("acme", "e-1", subject, "m", BigDecimal.ONE, Instant.EPOCH, properties, Instant.EPOCH);
    }

    @Test
    void shouldNameTheFirstStringOfAnEventThatHasNoExactUtf8Form() {
        assertNull(Text.wellFormed(event("team/jöb ✓ \uD83D\uDE00", Map.of("region", "eu \uD83D\uDE00"))));
        assertEquals("subject must be well-formed Unicode (found an unpaired surrogate U+D800 at index 1)",
                Text.wellFormed(event("s\uD800", Map.of())));
        assertEquals("properties.k must be well-formed Unicode (found an unpaired surrogate U+DC00 at index 1)",
                Text.wellFormed(event("s", Map.of("k", "x\uDC00"))));
        assertEquals("properties.\\uDC00 must be well-formed Unicode (found an unpaired surrogate U+DC00 at index 0)",
                Text.wellFormed(event("s", Map.of("\uDC00", "x"))));
    }
}
