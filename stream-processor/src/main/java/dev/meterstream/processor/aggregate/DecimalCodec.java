package dev.meterstream.processor.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The binary form of an exact decimal in the processor's stores and its repartition topic: the scale, then the
 * unscaled value as a long when it fits (nearly always: 18 digits), else as its two's-complement bytes. Lossless for
 * any {@link BigDecimal}.
 */
final class DecimalCodec {
    private static final byte UNSCALED_LONG = 0;
    private static final byte UNSCALED_BYTES = 1;

    private DecimalCodec() {
    }

    /** Bytes {@link #put} writes for this value. */
    static int size(final BigDecimal value) {
        final BigInteger unscaled = value.unscaledValue();
        return 4 + 1 + (unscaled.bitLength() < Long.SIZE ? 8 : 4 + unscaled.toByteArray().length);
    }

    static void put(final ByteBuffer out, final BigDecimal value) {
        final BigInteger unscaled = value.unscaledValue();
        out.putInt(value.scale());
        if (unscaled.bitLength() < Long.SIZE) {
            out.put(UNSCALED_LONG).putLong(unscaled.longValue());
        } else {
            final byte[] big = unscaled.toByteArray();
            out.put(UNSCALED_BYTES).putInt(big.length).put(big);
        }
    }

    static BigDecimal get(final ByteBuffer in) {
        final int scale = in.getInt();
        if (in.get() == UNSCALED_LONG) {
            return BigDecimal.valueOf(in.getLong(), scale);
        }
        final byte[] big = new byte[in.getInt()];
        in.get(big);
        return new BigDecimal(new BigInteger(big), scale);
    }

    static void write(final DataOutput out, final BigDecimal value) throws IOException {
        final BigInteger unscaled = value.unscaledValue();
        out.writeInt(value.scale());
        if (unscaled.bitLength() < Long.SIZE) {
            out.writeByte(UNSCALED_LONG);
            out.writeLong(unscaled.longValue());
        } else {
            final byte[] big = unscaled.toByteArray();
            out.writeByte(UNSCALED_BYTES);
            out.writeInt(big.length);
            out.write(big);
        }
    }

    static BigDecimal read(final DataInput in) throws IOException {
        final int scale = in.readInt();
        if (in.readByte() == UNSCALED_LONG) {
            return BigDecimal.valueOf(in.readLong(), scale);
        }
        final byte[] big = new byte[in.readInt()];
        in.readFully(big);
        return new BigDecimal(new BigInteger(big), scale);
    }
}
