package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAggregateBytesTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    private static final List<WindowAggregate> AGGREGATES = List.of(
            new WindowAggregate("acme", "gpu.seconds", "team/jöb/7 ✓", WindowSize.MINUTE, START, 1,
                    new BigDecimal("0.1"), new BigDecimal("0.1"), new BigDecimal("0.1")),
            new WindowAggregate("acme", "m", "*11", WindowSize.DAY, START, Long.MAX_VALUE,
                    new BigDecimal("123456789012345678901234567890.000000001"), BigDecimal.ZERO,
                    new BigDecimal("1E+30")),
            new WindowAggregate("t", "m", "s".repeat(1_000), WindowSize.HOUR, Instant.EPOCH, 0,
                    new BigDecimal("9223372036854775808"), new BigDecimal("9007199254740993"),
                    new BigDecimal("0.000000000000000000001")));

    @Test
    void shouldReadBackEveryFieldExactly() {
        for (final WindowAggregate aggregate : AGGREGATES) {
            final WindowAggregate read = WindowAggregateBytes.read(WindowAggregateBytes.write(aggregate));
            assertEquals(aggregate, read);
            // Equal decimals in another scale would be another row in top_subjects' clustering once stripped
            // differently: the scale is kept as written.
            assertEquals(aggregate.sum().scale(), read.sum().scale());
        }
    }

    @Test
    void shouldStillReadTheJsonRecordsTheCompactedTopicHoldsFromBefore() {
        // Not the second: JSON writes 1E+30 in plain notation, so it reads back with another scale.
        for (final WindowAggregate aggregate : List.of(AGGREGATES.get(0), AGGREGATES.get(2))) {
            assertEquals(aggregate, WindowAggregateBytes.read(WindowAggregateJson.write(aggregate)));
        }
    }

    @Test
    void shouldRefuseBytesThatAreNotAWindowAggregate() {
        final byte[] good = WindowAggregateBytes.write(AGGREGATES.get(0));
        final byte[] otherVersion = good.clone();
        otherVersion[0] = 4;
        final byte[] trailing = Arrays.copyOf(good, good.length + 1);
        final byte[] badSize = WindowAggregateBytes.write(AGGREGATES.get(0));
        // version, then three strings of a length byte each; 0 is no size's code (though MINUTE's ordinal)
        badSize[1 + 1 + 4 + 1 + 11 + 1 + AGGREGATES.get(0).subject().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length] = 0;
        for (final byte[] bad : List.of(new byte[0], Arrays.copyOf(good, good.length - 1), otherVersion, trailing,
                badSize, "{\"tenant\":".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            assertThrows(UsageEventJson.MalformedEventException.class, () -> WindowAggregateBytes.read(bad));
        }
    }
}
