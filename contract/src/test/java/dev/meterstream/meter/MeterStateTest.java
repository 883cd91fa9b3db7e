package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeterStateTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    private static SequencedEvent event(final int partition, final long sequence, final String type,
                                        final int secondsLater, final Map<String, String> properties) {
        return new SequencedEvent(new UsageEvent("acme", "e-" + partition + "-" + sequence, "s", type, 1,
                T.plusSeconds(secondsLater), properties, T), partition, sequence);
    }

    private static MeterDefinition meter(final Aggregation aggregation) {
        return new MeterDefinition("m", "calls", aggregation, aggregation.needsValue() ? new PropertyPath("v") : null,
                Map.of("region", new PropertyPath("region")), "");
    }

    /** Events of one type with values, at times that repeat (for LATEST's tie-break), some in other partitions. */
    private static List<SequencedEvent> events() {
        final List<SequencedEvent> events = new ArrayList<>();
        final String[] values = {"3", "-1.5", "10", "0.25", "10", "é😀", "", "7"};
        for (int i = 0; i < values.length; i++) {
            events.add(event(i % 2, i, "calls", i < 4 ? i : 4, Map.of("v", values[i], "region", "eu")));
        }
        return events;
    }

    private static MeterState fold(final Aggregation aggregation, final List<SequencedEvent> events) {
        MeterState state = MeterState.empty();
        for (final SequencedEvent event : events) {
            final MeterInput.Taken taken = MeterInput.of(meter(aggregation), event).orElseThrow();
            if (taken.input() != null) {
                state = state.add(aggregation, taken.input());
            }
        }
        return state;
    }

    @Test
    void everyAggregationShouldBeExactWhateverTheOrderOfEvents() {
        final Map<Aggregation, String> expected = new LinkedHashMap<>();
        // Numbers: 3, -1.5, 10, 0.25, 10, 7 (é😀 and "" are not numbers); strings: all eight.
        expected.put(Aggregation.COUNT, "8");
        expected.put(Aggregation.SUM, "28.75");
        expected.put(Aggregation.AVG, "4.791666666666666666666666666666667");
        expected.put(Aggregation.MIN, "-1.5");
        expected.put(Aggregation.MAX, "10");
        expected.put(Aggregation.UNIQUE_COUNT, "7");
        // Times 0,1,2,3,4,4,4,4: at 4 s the lowest log id of a number is event 4 (partition 0, sequence 4): 10.
        expected.put(Aggregation.LATEST, "10");
        final Random random = new Random(5);
        for (final Map.Entry<Aggregation, String> want : expected.entrySet()) {
            for (int shuffle = 0; shuffle < 20; shuffle++) {
                final List<SequencedEvent> events = events();
                Collections.shuffle(events, random);
                assertEquals(want.getValue(), fold(want.getKey(), events).value(want.getKey()).toPlainString(),
                        want.getKey() + " in the order " + events.stream().map(SequencedEvent::id).toList());
            }
        }
    }

    @Test
    void mergingTwoHalvesShouldEqualFoldingAll() {
        final Random random = new Random(7);
        for (final Aggregation aggregation : Aggregation.values()) {
            final List<SequencedEvent> events = events();
            Collections.shuffle(events, random);
            final MeterState all = fold(aggregation, events);
            for (int cut = 0; cut <= events.size(); cut++) {
                final MeterState merged = fold(aggregation, events.subList(0, cut))
                        .merge(aggregation, fold(aggregation, events.subList(cut, events.size())));
                assertEquals(all.value(aggregation), merged.value(aggregation), aggregation + " cut at " + cut);
                assertEquals(all.count(), merged.count());
            }
        }
    }

    @Test
    void anEventShouldBringItsGroupAndValueOrSayWhyNot() {
        final MeterDefinition sum = meter(Aggregation.SUM);
        final MeterInput input = MeterInput.of(sum, event(0, 0, "calls", 0, Map.of("v", "2.50"))).orElseThrow()
                .input();
        assertEquals(new BigDecimal("2.5"), input.number());
        final Map<String, String> absent = new HashMap<>();
        absent.put("region", null);
        assertEquals(absent, input.groups(), "an absent dimension groups under null");
        assertEquals(MeterInput.Skip.NO_VALUE, MeterInput.of(sum, event(0, 1, "calls", 0, Map.of())).orElseThrow()
                .skipped());
        assertEquals(MeterInput.Skip.NOT_A_NUMBER, MeterInput.of(sum, event(0, 2, "calls", 0, Map.of("v", "1e999")))
                .orElseThrow().skipped());
        assertEquals(Optional.empty(), MeterInput.of(sum, event(0, 3, "other", 0, Map.of("v", "1"))),
                "another event type is not this meter's");
        assertEquals(new BigDecimal("1"), MeterInput.of(meter(Aggregation.COUNT), event(0, 4, "calls", 0, Map.of()))
                .map(taken -> MeterState.empty().add(Aggregation.COUNT, taken.input()).value(Aggregation.COUNT))
                .orElseThrow(), "COUNT needs no value");
    }

    @Test
    void anEmptyStateShouldHaveNoValue() {
        for (final Aggregation aggregation : Aggregation.values()) {
            assertNull(MeterState.empty().value(aggregation));
            assertTrue(MeterState.empty().merge(aggregation, MeterState.empty()).count() == 0);
        }
    }
}
