package dev.meterstream.processor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventJson;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequencedEventBinarySerdeTest {
    @Test
    void shouldRoundTripEveryFieldOfTheEventAndItsId() {
        final UsageEvent event = new UsageEvent("acme", "évt-1", "jöb/7", "gpu.seconds", 0.1 + 0.2,
                Instant.parse("2026-11-23T12:00:00.123456789Z"), Map.of("region", "eu-west", "long", "x".repeat(70_000)),
                Instant.parse("2026-11-23T12:00:01.5Z"));
        final SequencedEvent sequenced = new SequencedEvent(event, 65_535, SequencedEvent.MAX_SEQUENCE);
        assertEquals(sequenced, SequencedEventBinarySerde.read(SequencedEventBinarySerde.write(sequenced)));
    }

    @Test
    void shouldRefuseRecordsInAnotherFormRatherThanMisreadThem() {
        final SequencedEvent sequenced = new SequencedEvent(new UsageEvent("acme", "e", "s", "m", 2,
                Instant.parse("2026-11-23T12:00:00Z"), Map.of(), Instant.parse("2026-11-23T12:00:01Z")), 3, 42);
        assertThrows(StateFormatException.class, () -> SequencedEventBinarySerde.read(UsageEventJson.write(sequenced)));
    }

    @Test
    void shouldKeepQuantitiesExactAndRefuseTheFormWithADoubleQuantity() throws Exception {
        final Instant at = Instant.parse("2026-11-23T12:00:00Z");
        for (final String quantity : new String[] {"9007199254740993", "0.000000000000000001",
            "12345678901234567890123456789012345678"}) {
            final SequencedEvent event = new SequencedEvent(new UsageEvent("acme", "e", "s", "m",
                    new java.math.BigDecimal(quantity), at, Map.of(), at), 3, 9);
            assertEquals(event, SequencedEventBinarySerde.read(SequencedEventBinarySerde.write(event)));
        }
        // Version 1 held the quantity as a double; no deployment holds it.
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            for (final String text : new String[] {"acme", "e", "s", "m"}) {
                out.writeInt(text.length());
                out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            out.writeDouble(2.5);
            out.writeLong(at.getEpochSecond());
            out.writeInt(0);
            out.writeLong(at.getEpochSecond());
            out.writeInt(0);
            out.writeInt(0);
            out.writeShort(3);
            out.writeLong(9);
        }
        assertThrows(StateFormatException.class, () -> SequencedEventBinarySerde.read(bytes.toByteArray()));
    }
}
