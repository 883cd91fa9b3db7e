package dev.meterstream.schema;

import dev.meterstream.event.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A window's sum as {@code top_subjects_by_rank} orders its subjects: the sum counted in units of 10^-18
 * ({@link Quantity#MAX_FRACTION_DIGITS}), an integer, stored as a {@code varint}. Every quantity has at most 18
 * digits after the point, so every sum of them has too, and the integer is the sum exactly.
 *
 * <p>Why not the decimal itself: Cassandra keeps a partition's rows sorted by their clustering values, and it
 * compares {@code decimal}s by decoding both into {@code BigDecimal}s at every step of every search, while it compares
 * {@code varint}s byte by byte. The sink inserts two ranked rows per event into partitions of up to a window's
 * subjects, and that decoding was about a fifth of Cassandra's request work (docs/benchmarks.md, "Session 29").
 */
public final class SumRank {
    private static final int SCALE = Quantity.MAX_FRACTION_DIGITS;

    private SumRank() {
    }

    /**
     * The rank of a sum.
     *
     * @throws IllegalArgumentException if the sum is negative or has more than 18 digits after the point (no
     *                                  quantity the event rules let in makes such a sum)
     */
    public static BigInteger of(final BigDecimal sum) {
        if (sum.signum() < 0) {
            throw new IllegalArgumentException("a ranked sum cannot be negative: " + Quantity.text(sum));
        }
        final BigDecimal stripped = sum.stripTrailingZeros();
        if (stripped.scale() > SCALE) {
            throw new IllegalArgumentException("a ranked sum has at most " + SCALE + " digits after the point: "
                    + Quantity.text(sum));
        }
        return stripped.setScale(SCALE).unscaledValue();
    }

    /** The sum a rank stands for, in {@link Quantity#canonical} form. */
    public static BigDecimal sum(final BigInteger rank) {
        return Quantity.canonical(new BigDecimal(rank, SCALE));
    }
}
