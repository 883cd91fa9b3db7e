package dev.meterstream.event;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Quantities are exact decimals from the JSON text to the Cassandra row to the answer: never a double, which holds
 * only about 16 significant digits (9007199254740993 became 9007199254740992, and 0.1 + 0.2 was not 0.3). This is
 * their one home: the canonical form, the bounds, and the text form written everywhere.
 *
 * <p>Bounds: at most {@value #MAX_DIGITS} significant digits, at most {@value #MAX_DIGITS} before the point and
 * {@value #MAX_FRACTION_DIGITS} after it, so that any sum of them is exact in Cassandra's {@code decimal} and
 * fits what client libraries can parse.
 */
public final class Quantity {
    public static final int MAX_DIGITS = 38;
    public static final int MAX_FRACTION_DIGITS = 18;
    /** The text a decimal string may hold: a JSON number, nothing else (no hex, no "Infinity", no spaces). */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private Quantity() {
    }

    /** The canonical form: no trailing zeros after the point, never a negative scale (100, not 1E+2). */
    public static BigDecimal canonical(final BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        final BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** A decimal string as a client may send it, or null if it is not a JSON number's text. */
    public static BigDecimal parse(final String text) {
        if (text.length() > 2 * MAX_DIGITS + 10 || !JSON_NUMBER.matcher(text).matches()) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (final NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /**
     * Null if the quantity keeps the bounds, else what is wrong. The bounds are read on the value with its trailing
     * zeros stripped, never on its canonical form: making {@code 1e1117711173} canonical first meant a power of ten
     * of a billion digits (an ArithmeticException, or minutes of CPU and gigabytes), which Jazzer found at the edge
     * (IngestFuzzTest) and which a meter's value property could have brought to the processor.
     */
    public static String problem(final BigDecimal value) {
        if (value.signum() < 0) {
            return "must be at least 0";
        }
        if (value.signum() == 0) {
            return null;
        }
        final BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > MAX_FRACTION_DIGITS) {
            return "must have at most " + MAX_FRACTION_DIGITS + " digits after the decimal point";
        }
        // In long: precision minus a scale near Integer.MIN_VALUE does not fit an int.
        final long integerDigits = (long) stripped.precision() - stripped.scale();
        final long digits = stripped.scale() < 0 ? integerDigits : stripped.precision();
        if (integerDigits > MAX_DIGITS || digits > MAX_DIGITS) {
            return "must have at most " + MAX_DIGITS + " significant digits";
        }
        return null;
    }

    /** Plain notation, as every answer and every stored form writes it (never 1E+3 or 9.0E15). */
    public static String text(final BigDecimal value) {
        return value.toPlainString();
    }
}
