package dev.meterstream.event;

import dev.meterstream.wire.WireBytes;
import java.time.Instant;

/**
 * The wire format of a {@link WindowAggregate} on {@link Topics#AGGREGATES}, in binary: a version byte, tenant,
 * meter and subject, the window size's code ({@link WindowSize#code}) and start (epoch milliseconds), the count,
 * then sum, min and max as exact decimals ({@link WireBytes}). The processor writes about three per event and the
 * sink reads them all; as JSON they cost a fifth of the sink's time in session 27's profile, a tree parse and an
 * {@code Instant.parse} each.
 *
 * <p>The topic is compacted and kept for ever, so it still holds the JSON records written before session 27:
 * {@link #read} reads those too ({@link WindowAggregateJson}), told apart by their first byte.
 */
public final class WindowAggregateBytes {
    /** Not '{', which every JSON record starts with, nor the versions of the processor's store formats (2-4). */
    private static final int VERSION = 5;
    private static final int JSON_START = '{';

    private WindowAggregateBytes() {
    }

    public static byte[] write(final WindowAggregate aggregate) {
        return new WireBytes.Writer(64 + aggregate.subject().length())
                .writeByte(VERSION)
                .writeString(aggregate.tenant())
                .writeString(aggregate.meter())
                .writeString(aggregate.subject())
                .writeByte(aggregate.size().code())
                .writeLong(aggregate.windowStart().toEpochMilli())
                .writeVarLong(aggregate.count())
                .writeDecimal(aggregate.sum())
                .writeDecimal(aggregate.min())
                .writeDecimal(aggregate.max())
                .toBytes();
    }

    /**
     * The aggregate in these bytes, binary or (written before session 27) JSON.
     *
     * @throws UsageEventJson.MalformedEventException if they are neither
     */
    public static WindowAggregate read(final byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == JSON_START) {
            return WindowAggregateJson.read(bytes);
        }
        try {
            final WireBytes.Reader in = new WireBytes.Reader(bytes, 0);
            final int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("version " + version + ", not " + VERSION);
            }
            final String tenant = in.readString();
            final String meter = in.readString();
            final String subject = in.readString();
            final WindowSize size = WindowSize.ofCode(in.readByte());
            final Instant start = Instant.ofEpochMilli(in.readLong());
            final WindowAggregate aggregate = new WindowAggregate(tenant, meter, subject, size, start,
                    in.readVarLong(), in.readDecimal(), in.readDecimal(), in.readDecimal());
            in.end();
            return aggregate;
        } catch (final RuntimeException e) {
            throw new UsageEventJson.MalformedEventException("not a window aggregate (" + bytes.length + " bytes): "
                    + e.getMessage());
        }
    }
}
