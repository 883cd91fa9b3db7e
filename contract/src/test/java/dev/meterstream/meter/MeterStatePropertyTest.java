package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.Quantity;
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
 * What exactness rests on, for every aggregation: a window's state is the same whatever order its events come in
 * (late and replayed events land as if in order), two states of disjoint events merge into the state of all of them
 * (windows into ranges), and a state survives its bytes.
 */
class MeterStatePropertyTest {
    @Property(tries = 300)
    void foldIsIndependentOfOrder(@ForAll final Aggregation aggregation,
                                  @ForAll("inputs") final List<MeterInput> inputs, @ForAll final long seed) {
        final List<MeterInput> shuffled = new ArrayList<>(inputs);
        Collections.shuffle(shuffled, new Random(seed));
        assertSame(aggregation, fold(aggregation, inputs), fold(aggregation, shuffled));
    }

    @Property(tries = 300)
    void mergeEqualsTheFoldOfTheUnion(@ForAll final Aggregation aggregation,
                                      @ForAll("inputs") final List<MeterInput> inputs,
                                      @ForAll @IntRange(min = 0, max = 1000) final int cut) {
        final int at = inputs.isEmpty() ? 0 : cut % (inputs.size() + 1);
        final MeterState left = fold(aggregation, inputs.subList(0, at));
        final MeterState right = fold(aggregation, inputs.subList(at, inputs.size()));
        assertSame(aggregation, fold(aggregation, inputs), left.merge(aggregation, right));
        assertSame(aggregation, fold(aggregation, inputs), right.merge(aggregation, left));
    }

    @Property(tries = 300)
    void aStateSurvivesItsBytes(@ForAll final Aggregation aggregation,
                                @ForAll("inputs") final List<MeterInput> inputs) {
        final MeterState state = fold(aggregation, inputs);
        assertEquals(state, MeterStateBytes.read(MeterStateBytes.write(state)));
    }

    private static MeterState fold(final Aggregation aggregation, final List<MeterInput> inputs) {
        MeterState state = MeterState.empty();
        for (final MeterInput input : inputs) {
            state = state.add(aggregation, input);
        }
        return state;
    }

    /** Equal as read: the count and the value (an extreme may be held at another scale), LATEST's event too. */
    private static void assertSame(final Aggregation aggregation, final MeterState expected, final MeterState actual) {
        assertEquals(expected.count(), actual.count());
        final BigDecimal a = expected.value(aggregation);
        final BigDecimal b = actual.value(aggregation);
        assertEquals(a == null, b == null, a + " against " + b);
        if (a != null) {
            assertEquals(0, a.compareTo(b), a + " against " + b);
        }
        if (aggregation == Aggregation.LATEST) {
            assertEquals(expected.latestTime(), actual.latestTime());
            assertEquals(expected.latestLogId(), actual.latestLogId());
        }
        if (aggregation == Aggregation.UNIQUE_COUNT) {
            assertEquals(expected.distinct(), actual.distinct());
        }
    }

    /**
     * Events of one window: few distinct times so that LATEST meets ties, each with a log id of its own (the log
     * holds each event once), values of any scale and sign within the exact bounds.
     */
    @Provide
    Arbitrary<List<MeterInput>> inputs() {
        final Arbitrary<BigDecimal> numbers = Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(6).map(Quantity::canonical);
        final Arbitrary<String> texts = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(0).ofMaxLength(3);
        final Arbitrary<Instant> times = Arbitraries.integers().between(0, 5)
                .map(second -> Instant.parse("2026-11-23T10:00:00Z").plusSeconds(second));
        return Combinators.combine(numbers, texts, times).as((number, text, time) -> new Object[] {number, text, time})
                .list().ofMaxSize(40).map(rows -> {
                    final List<MeterInput> inputs = new ArrayList<>(rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        inputs.add(new MeterInput(Map.of(), (BigDecimal) rows.get(i)[0], (String) rows.get(i)[1],
                                (Instant) rows.get(i)[2], 1_000L + i * 7L));
                    }
                    return inputs;
                });
    }
}
