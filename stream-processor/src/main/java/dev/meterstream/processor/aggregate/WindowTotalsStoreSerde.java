package dev.meterstream.processor.aggregate;

import dev.meterstream.event.WindowTotals;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of {@link WindowTotals} in the windowed aggregate stores and their changelogs: every event reads
 * and writes one per window size. Only the totals: the store's key already says whose and which window they are,
 * so tenant, meter and subject are not decoded and encoded again on the hot path (the whole aggregate is made only
 * for the records the record cache lets through). Layout (version 3): version byte, count, sum, min, max (each an
 * exact decimal, {@link DecimalCodec}). Only this version is read: anything else is {@link StateFormatException}.
 */
public final class WindowTotalsStoreSerde implements Serde<WindowTotals> {
    private static final byte VERSION = 3;

    @Override
    public Serializer<WindowTotals> serializer() {
        return (topic, totals) -> totals == null ? null : write(totals);
    }

    @Override
    public Deserializer<WindowTotals> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(final WindowTotals totals) {
        final ByteBuffer out = ByteBuffer.allocate(1 + 8 + DecimalCodec.size(totals.sum())
                + DecimalCodec.size(totals.min()) + DecimalCodec.size(totals.max()));
        out.put(VERSION).putLong(totals.count());
        DecimalCodec.put(out, totals.sum());
        DecimalCodec.put(out, totals.min());
        DecimalCodec.put(out, totals.max());
        return out.array();
    }

    static WindowTotals read(final byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != VERSION) {
            throw new StateFormatException("window totals", bytes.length == 0 ? -1 : bytes[0], VERSION);
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        final long count = in.getLong();
        final BigDecimal sum = DecimalCodec.get(in);
        return new WindowTotals(count, sum, DecimalCodec.get(in), DecimalCodec.get(in));
    }
}
