package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageEventJsonTest {
    @Test
    void shouldRoundTripEveryFieldWithNanosecondTimestamps() {
        final UsageEvent event = new UsageEvent("acme", "id/with/slashes", "subject \"quoted\"", "api-calls", 0.1,
                Instant.parse("2026-11-23T10:59:00.123456789Z"), Map.of("k", "v", "ü", "ß"),
                Instant.parse("2026-11-23T11:00:00Z"));
        assertEquals(event, UsageEventJson.read(UsageEventJson.write(event)));
    }

    @Test
    void shouldWriteQuantitiesInPlainNotationAndReadThemBackExactly() {
        for (final String quantity : new String[] {"9007199254740993", "0.000000000000000001",
            "123456789012345678901234567890", "1000"}) {
            final UsageEvent event = new UsageEvent("acme", "e", "s", "m", new BigDecimal(quantity),
                    Instant.parse("2026-11-23T12:00:00Z"), Map.of(), Instant.parse("2026-11-23T12:00:01Z"));
            final String json = new String(UsageEventJson.write(event), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"quantity\":" + quantity + ","), json);
            assertEquals(event, UsageEventJson.read(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void shouldSayWhyBytesAreNotAnEvent() {
        final String notJson = assertThrows(UsageEventJson.MalformedEventException.class,
                () -> UsageEventJson.read("oops".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(notJson.startsWith("not valid JSON: ") && notJson.contains("'oops'"), notJson);
        assertEquals("missing field(s): tenant, id, subject, meter, quantity, timestamp and receivedAt are all "
                + "required", assertThrows(UsageEventJson.MalformedEventException.class,
                () -> UsageEventJson.read("{\"tenant\":\"a\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("quantity must be a number", assertThrows(UsageEventJson.MalformedEventException.class,
                () -> UsageEventJson.read("{\"quantity\":\"1\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
        // A raw record a producer other than the edge wrote: a dead letter, not a stopped stream thread.
        assertEquals(EventParser.NUMBER_OUT_OF_RANGE, assertThrows(UsageEventJson.MalformedEventException.class,
                () -> UsageEventJson.read("{\"quantity\":1e99999999999}".getBytes(StandardCharsets.UTF_8)))
                .getMessage());
    }
}
