package dev.meterstream.meter;

import dev.meterstream.wire.WireBytes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.TreeSet;

/**
 * A {@link MeterState} in binary, exactly (the value of its store entries and {@code meter.aggregates} records): a
 * byte saying which parts follow, the count, then the number (scale and unscaled digits, never a double), the
 * LATEST fields and the distinct values, each only when set.
 */
public final class MeterStateBytes {
    private static final int NUMBER = 1;
    private static final int LATEST = 2;
    private static final int DISTINCT = 4;

    private MeterStateBytes() {
    }

    public static byte[] write(final MeterState state) {
        final int parts = (state.number() != null ? NUMBER : 0) | (state.latestTime() != null ? LATEST : 0)
                | (state.distinct().isEmpty() ? 0 : DISTINCT);
        final WireBytes.Writer out = new WireBytes.Writer(32).writeByte(parts).writeVarLong(state.count());
        if (state.number() != null) {
            out.writeDecimal(state.number());
        }
        if (state.latestTime() != null) {
            out.writeLong(state.latestTime().getEpochSecond()).writeInt(state.latestTime().getNano())
                    .writeLong(state.latestLogId());
        }
        if (!state.distinct().isEmpty()) {
            out.writeVarLong(state.distinct().size());
            state.distinct().forEach(out::writeString);
        }
        return out.toBytes();
    }

    public static MeterState read(final byte[] bytes) {
        try {
            final WireBytes.Reader in = new WireBytes.Reader(bytes, 0);
            final int parts = in.readByte();
            if ((parts & ~(NUMBER | LATEST | DISTINCT)) != 0) {
                throw new IllegalArgumentException("unknown parts " + parts);
            }
            final long count = in.readVarLong();
            BigDecimal number = null;
            if ((parts & NUMBER) != 0) {
                number = in.readDecimal();
            }
            Instant latestTime = null;
            long latestLogId = 0;
            if ((parts & LATEST) != 0) {
                latestTime = Instant.ofEpochSecond(in.readLong(), in.readInt());
                latestLogId = in.readLong();
            }
            final TreeSet<String> distinct = new TreeSet<>();
            if ((parts & DISTINCT) != 0) {
                final int size = in.readVarInt();
                for (int i = 0; i < size; i++) {
                    distinct.add(in.readString());
                }
            }
            in.end();
            return new MeterState(count, number, latestTime, latestLogId, distinct);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("not a meter state (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }
}
