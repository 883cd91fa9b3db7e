package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantityTest {
    @Test
    void shouldBoundQuantitiesWithoutExpandingTheirExponent() {
        assertNull(Quantity.problem(new BigDecimal("1e37")));
        assertNull(Quantity.problem(new BigDecimal("12345678901234567890.123456789012345678")));
        assertNull(Quantity.problem(new BigDecimal("0.000000000000000001")));
        assertNull(Quantity.problem(BigDecimal.ZERO));
        assertEquals("must have at most 38 significant digits", Quantity.problem(new BigDecimal("1e38")));
        // Each of these once made a power of ten of up to two billion digits (Jazzer's finding).
        for (final String huge : new String[] {"11e1117711173", "1e2147483647", "9.9e999999999"}) {
            assertEquals("must have at most 38 significant digits", Quantity.problem(new BigDecimal(huge)), huge);
        }
        assertEquals("must have at most 18 digits after the decimal point",
                Quantity.problem(new BigDecimal("1e-2147483647")));
        assertEquals("must have at most 18 digits after the decimal point",
                Quantity.problem(new BigDecimal("1e-19")));
    }
}
