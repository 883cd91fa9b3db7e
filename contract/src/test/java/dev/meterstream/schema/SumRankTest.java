package dev.meterstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SumRankTest {
    @Test
    void shouldCountASumInUnitsOfTenToTheMinusEighteen() {
        assertEquals(new BigInteger("1500000000000000000"), SumRank.of(new BigDecimal("1.5")));
        assertEquals(BigInteger.ONE, SumRank.of(new BigDecimal("0.000000000000000001")));
        assertEquals(BigInteger.ZERO, SumRank.of(BigDecimal.ZERO));
        // Beyond a long: sums may have up to 38 digits before the point and keep growing.
        assertEquals(new BigInteger("99999999999999999999999999999999999999" + "000000000000000000"),
                SumRank.of(new BigDecimal("99999999999999999999999999999999999999")));
    }

    @Test
    void shouldGiveEqualSumsInAnyScaleOneRank() {
        assertEquals(SumRank.of(new BigDecimal("2.5")), SumRank.of(new BigDecimal("2.500")));
        assertEquals(SumRank.of(new BigDecimal("100")), SumRank.of(new BigDecimal("1E+2")));
    }

    @Test
    void shouldReadTheSumBackInCanonicalForm() {
        assertEquals("1.5", SumRank.sum(SumRank.of(new BigDecimal("1.500"))).toPlainString());
        assertEquals("100", SumRank.sum(SumRank.of(new BigDecimal("1E+2"))).toPlainString());
        assertEquals("0", SumRank.sum(BigInteger.ZERO).toPlainString());
    }

    @Test
    void shouldRefuseWhatNoQuantitiesAddUpTo() {
        assertThrows(IllegalArgumentException.class, () -> SumRank.of(new BigDecimal("0.0000000000000000001")),
                "19 digits after the point would be rounded");
        assertThrows(IllegalArgumentException.class, () -> SumRank.of(new BigDecimal("-1")));
    }

    /** The rank orders sums as the decimals do: what Cassandra's varint order must give the top list. */
    @Property(tries = 1000)
    void ranksOrderAsTheirSums(@ForAll("sums") final BigDecimal a, @ForAll("sums") final BigDecimal b) {
        assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(SumRank.of(a).compareTo(SumRank.of(b))));
        assertEquals(0, SumRank.sum(SumRank.of(a)).compareTo(a));
    }

    @Provide
    Arbitrary<BigDecimal> sums() {
        final Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers().between(BigInteger.ZERO,
                BigInteger.TEN.pow(40));
        return Combinators.combine(unscaled, Arbitraries.integers().between(-3, 18))
                .as(BigDecimal::new);
    }
}
