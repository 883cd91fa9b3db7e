package dev.meterstream.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void shouldWriteAnEventExactlyEscapingWhatJsonMust() {
        final UsageEvent event = new UsageEvent(null, "a\"b\\c\n\u0001 \uD83D\uDE80 \uD800", "api-calls",
                new BigDecimal("12345678901234567890.000000000000000001"), Instant.parse("2026-11-23T12:00:00Z"),
                Map.of("k", "v"));
        assertEquals("{\"id\":\"e-1\",\"subject\":\"a\\\"b\\\\c\\u000a\\u0001 \uD83D\uDE80 \\ud800\","
                        + "\"meter\":\"api-calls\",\"quantity\":12345678901234567890.000000000000000001,"
                        + "\"timestamp\":\"2026-11-23T12:00:00Z\",\"properties\":{\"k\":\"v\"}}",
                new String(Json.event(event, "e-1"), StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAnswers() {
        assertEquals(Map.of("accepted", new BigDecimal("1"), "results", List.of(Map.of("index", BigDecimal.ZERO,
                        "id", "a\u00e9\n", "ok", true))),
                Json.parse(" {\"accepted\":1,\"results\":[{\"index\":0,\"id\":\"a\\u00e9\\n\",\"ok\":true}]} "));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
    }
}
