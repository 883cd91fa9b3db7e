package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageEventBytesTest {
    private static final UsageEvent EVENT = new UsageEvent("acme", "evt-1", "team/jöb/7 ✓", "gpu.seconds",
            new BigDecimal("123456789012345678901234567890.000000001"),
            Instant.parse("2026-11-23T12:00:00.123456789Z"), Map.of("region", "eu", "model", "x"),
            Instant.parse("2026-11-23T12:00:01.000000001Z"));
    private static final SequencedEvent SEQUENCED = new SequencedEvent(EVENT, 65_535, SequencedEvent.MAX_SEQUENCE);

    @Test
    void shouldReadBackEveryFieldExactly() {
        assertEquals(EVENT, UsageEventBytes.read(UsageEventBytes.write(EVENT)));
        assertEquals(SEQUENCED, UsageEventBytes.readSequenced(UsageEventBytes.write(SEQUENCED)));
        final UsageEvent plain = new UsageEvent("t", "i", "s", "m", BigDecimal.ONE, Instant.EPOCH, Map.of(),
                Instant.EPOCH);
        assertEquals(plain, UsageEventBytes.read(UsageEventBytes.write(plain)));
    }

    @Test
    void shouldReadAViewRowsBlobFromItsRemainingBytesWithoutMovingIt() {
        final byte[] record = UsageEventBytes.write(SEQUENCED);
        // As a driver hands a blob: a slice of a larger frame, its position past what came before.
        final ByteBuffer frame = ByteBuffer.allocate(record.length + 10);
        frame.position(7);
        frame.put(record);
        frame.position(7).limit(7 + record.length);
        assertEquals(SEQUENCED, UsageEventBytes.readSequenced(frame));
        assertEquals(7, frame.position(), "the caller's buffer is left as it was");
    }

    @Test
    void shouldBeSmallerThanTheJsonItReplaces() {
        final UsageEvent typical = new UsageEvent("tenant-3", "load-1733370000-42-17", "subject-512", "meter-2",
                new BigDecimal("7"), Instant.parse("2026-12-05T04:00:00.123Z"), Map.of(),
                Instant.parse("2026-12-05T04:00:00.130Z"));
        final SequencedEvent logged = new SequencedEvent(typical, 7, 123_456);
        assertTrue(UsageEventBytes.write(logged).length * 2 < UsageEventJson.write(logged).length,
                UsageEventBytes.write(logged).length + " bytes against JSON's " + UsageEventJson.write(logged).length);
    }

    @Test
    void shouldStillReadTheJsonRecordsTheTopicsHoldFromBefore() {
        assertEquals(EVENT, UsageEventBytes.read(UsageEventJson.write(EVENT)));
        assertEquals(SEQUENCED, UsageEventBytes.readSequenced(UsageEventJson.write(SEQUENCED)));
    }

    @Test
    void shouldRefuseBytesThatAreNotAnEventOfTheirTopic() {
        final byte[] good = UsageEventBytes.write(SEQUENCED);
        final byte[] otherVersion = good.clone();
        otherVersion[0] = 5;
        final byte[] trailing = Arrays.copyOf(good, good.length + 1);
        for (final byte[] bad : List.of(new byte[0], Arrays.copyOf(good, good.length - 1), otherVersion, trailing,
                "{\"tenant\":".getBytes(StandardCharsets.UTF_8))) {
            assertThrows(UsageEventJson.MalformedEventException.class, () -> UsageEventBytes.readSequenced(bad));
        }
        assertThrows(UsageEventJson.MalformedEventException.class, () -> UsageEventBytes.read(null));
        // The canonical log's events carry their partition and sequence; the edge's do not.
        assertEquals("not a usage event (" + UsageEventBytes.write(EVENT).length + " bytes): no partition and "
                + "sequence, which the log requires", assertThrows(UsageEventJson.MalformedEventException.class,
                () -> UsageEventBytes.readSequenced(UsageEventBytes.write(EVENT))).getMessage());
        final byte[] badNanos = UsageEventBytes.write(new UsageEvent("t", "i", "s", "m", BigDecimal.ONE,
                Instant.EPOCH, Map.of(), Instant.EPOCH));
        // version, four one-byte strings, the decimal (scale int, one byte of length, one of value), then seconds
        final int nanos = 1 + 4 * 2 + 4 + 1 + 1 + 8;
        badNanos[nanos] = (byte) 0x7F;
        assertThrows(UsageEventJson.MalformedEventException.class, () -> UsageEventBytes.read(badNanos));
    }
}
