package dev.meterstream.processor.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void shouldStillReadRecordsWrittenInTheLogsJsonForm() {
        final SequencedEvent sequenced = new SequencedEvent(new UsageEvent("acme", "e", "s", "m", 2,
                Instant.parse("2026-11-23T12:00:00Z"), Map.of(), Instant.parse("2026-11-23T12:00:01Z")), 3, 42);
        assertEquals(sequenced, SequencedEventBinarySerde.read(UsageEventJson.write(sequenced)));
    }
}
