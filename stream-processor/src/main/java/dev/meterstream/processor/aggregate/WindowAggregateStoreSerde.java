package dev.meterstream.processor.aggregate;

import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link WindowAggregate} for the aggregate stores and their changelogs. Every event reads
 * and writes one aggregate per window size, so this sits on the hottest path of the processor: the JSON form used on
 * {@code usage.aggregates} cost a tree parse each time. Layout (version 4): version byte, tenant, meter, subject
 * (UTF), size ordinal, window start millis, count, sum, min and max as exact decimals ({@link DecimalCodec}).
 * Only this version is read: anything else is {@link StateFormatException}.
 */
public final class WindowAggregateStoreSerde implements Serde<WindowAggregate> {
    /** Distinct from {@link WindowTotalsStoreSerde}'s, so that a store read with the wrong serde fails loudly. */
    private static final byte VERSION = 4;

    @Override
    public Serializer<WindowAggregate> serializer() {
        return (topic, aggregate) -> aggregate == null ? null : write(aggregate);
    }

    @Override
    public Deserializer<WindowAggregate> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(final WindowAggregate aggregate) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(aggregate.tenant());
            out.writeUTF(aggregate.meter());
            out.writeUTF(aggregate.subject());
            out.writeByte(aggregate.size().ordinal());
            out.writeLong(aggregate.windowStart().toEpochMilli());
            out.writeLong(aggregate.count());
            DecimalCodec.write(out, aggregate.sum());
            DecimalCodec.write(out, aggregate.min());
            DecimalCodec.write(out, aggregate.max());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static WindowAggregate read(final byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new StateFormatException("a window aggregate", version, VERSION);
            }
            final String tenant = in.readUTF();
            final String meter = in.readUTF();
            final String subject = in.readUTF();
            final WindowSize size = WindowSize.values()[in.readByte()];
            final Instant start = Instant.ofEpochMilli(in.readLong());
            final long count = in.readLong();
            return new WindowAggregate(tenant, meter, subject, size, start, count, DecimalCodec.read(in),
                    DecimalCodec.read(in), DecimalCodec.read(in));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
