package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * An event survives the log's binary form and its JSON exactly (any well-formed Unicode, any exact quantity,
 * nanosecond times), and a window's totals are the same in any order and merge as the union of their events.
 */
class UsageEventPropertyTest {
    @Property(tries = 500)
    void anEventSurvivesTheLogsJson(@ForAll("events") final UsageEvent event,
                                    @ForAll @IntRange(min = 0, max = 1000) final int partition,
                                    @ForAll @IntRange(min = 0) final int sequence) {
        assertEquals(event, UsageEventJson.read(UsageEventJson.write(event)));
        final SequencedEvent sequenced = new SequencedEvent(event, partition, sequence);
        assertEquals(sequenced, UsageEventJson.readSequenced(UsageEventJson.write(sequenced)));
    }

    @Property(tries = 500)
    void anEventSurvivesTheLogsBinaryForm(@ForAll("events") final UsageEvent event,
                                          @ForAll @IntRange(min = 0, max = 65_535) final int partition,
                                          @ForAll @IntRange(min = 0) final int sequence) {
        assertEquals(event, UsageEventBytes.read(UsageEventBytes.write(event)));
        final SequencedEvent sequenced = new SequencedEvent(event, partition, sequence);
        assertEquals(sequenced, UsageEventBytes.readSequenced(UsageEventBytes.write(sequenced)));
        assertEquals(event, UsageEventBytes.read(UsageEventBytes.write(sequenced)));
    }

    @Property(tries = 300)
    void totalsAreIndependentOfOrderAndMergeAsTheUnion(@ForAll("windows") final List<UsageEvent> events,
                                                       @ForAll final long seed,
                                                       @ForAll @IntRange(min = 1, max = 1000) final int cut) {
        final List<UsageEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        final WindowTotals all = totals(events);
        assertSameTotals(all, totals(shuffled));
        final int at = 1 + cut % events.size();
        if (at < events.size()) {
            assertSameTotals(all, totals(events.subList(0, at)).merge(totals(events.subList(at, events.size()))));
        }
    }

    private static WindowTotals totals(final List<UsageEvent> events) {
        WindowTotals totals = WindowTotals.of(events.getFirst());
        for (final UsageEvent event : events.subList(1, events.size())) {
            totals = totals.add(event);
        }
        return totals;
    }

    private static void assertSameTotals(final WindowTotals expected, final WindowTotals actual) {
        assertEquals(expected.count(), actual.count());
        assertEquals(0, expected.sum().compareTo(actual.sum()), expected + " against " + actual);
        assertEquals(0, expected.min().compareTo(actual.min()), expected + " against " + actual);
        assertEquals(0, expected.max().compareTo(actual.max()), expected + " against " + actual);
    }

    /** Any text a producer may send: well-formed Unicode, astral planes and control characters too. */
    private static Arbitrary<String> text(final int maxLength) {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(maxLength)
                .filter(value -> Text.wellFormed(value) == null);
    }

    private static Arbitrary<BigDecimal> quantities() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-1e19"), new BigDecimal("1e19"))
                .ofScale(Quantity.MAX_FRACTION_DIGITS).map(Quantity::canonical);
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 4_102_444_800L).flatMap(seconds -> Arbitraries.integers()
                .between(0, 999_999_999).map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<UsageEvent> events() {
        final Arbitrary<Map<String, String>> properties = Arbitraries.maps(text(20), text(40)).ofMaxSize(4);
        return Combinators.combine(text(64), text(64), text(64), quantities(), instants(), properties, instants())
                .as((id, subject, meter, quantity, time, props, received) -> new UsageEvent("acme", id, subject,
                        meter, quantity, time, props, received));
    }

    @Provide
    Arbitrary<List<UsageEvent>> windows() {
        final Instant now = Instant.parse("2026-11-23T10:00:00Z");
        return quantities().map(quantity -> new UsageEvent("acme", "id", "s", "m", quantity, now, Map.of(), now))
                .list().ofMinSize(1).ofMaxSize(30);
    }
}
