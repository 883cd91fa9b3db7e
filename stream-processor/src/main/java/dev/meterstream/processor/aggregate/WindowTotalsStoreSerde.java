package dev.meterstream.processor.aggregate;

import dev.meterstream.event.WindowTotals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of {@link WindowTotals} in the windowed aggregate stores and their changelogs: every event reads
 * and writes one per window size. Only the totals: the store's key already says whose and which window they are,
 * so tenant, meter and subject are not decoded and encoded again on the hot path (the whole aggregate is made only
 * for the records the record cache lets through). Layout (version 2): version byte, count, sum's scale, sum's unscaled value (a long
 * when it fits, which it nearly always does, else its two's-complement bytes), min, max. Stores written by earlier
 * versions held whole aggregates (version 1 of {@link WindowAggregateStoreSerde}, or JSON); those are still read.
 */
public final class WindowTotalsStoreSerde implements Serde<WindowTotals> {
    private static final byte VERSION = 2;
    private static final byte UNSCALED_LONG = 0;
    private static final byte UNSCALED_BYTES = 1;

    @Override
    public Serializer<WindowTotals> serializer() {
        return (topic, totals) -> totals == null ? null : write(totals);
    }

    @Override
    public Deserializer<WindowTotals> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(final WindowTotals totals) {
        final BigInteger unscaled = totals.sum().unscaledValue();
        final boolean fitsLong = unscaled.bitLength() < Long.SIZE;
        final byte[] big = fitsLong ? null : unscaled.toByteArray();
        final ByteBuffer out = ByteBuffer.allocate(1 + 8 + 4 + 1 + (fitsLong ? 8 : 4 + big.length) + 8 + 8);
        out.put(VERSION).putLong(totals.count()).putInt(totals.sum().scale());
        if (fitsLong) {
            out.put(UNSCALED_LONG).putLong(unscaled.longValue());
        } else {
            out.put(UNSCALED_BYTES).putInt(big.length).put(big);
        }
        out.putDouble(totals.min()).putDouble(totals.max());
        return out.array();
    }

    static WindowTotals read(final byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != VERSION) {
            // Version 1 and the JSON form before it held the whole aggregate.
            return WindowAggregateStoreSerde.read(bytes).totals();
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        final long count = in.getLong();
        final int scale = in.getInt();
        final BigDecimal sum;
        if (in.get() == UNSCALED_LONG) {
            sum = BigDecimal.valueOf(in.getLong(), scale);
        } else {
            final byte[] big = new byte[in.getInt()];
            in.get(big);
            sum = new BigDecimal(new BigInteger(big), scale);
        }
        return new WindowTotals(count, sum, in.getDouble(), in.getDouble());
    }
}
