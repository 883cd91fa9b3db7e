package dev.meterstream.event;

import dev.meterstream.wire.WireBytes;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The wire format of a {@link UsageEvent} on {@link Topics#RAW} and of a {@link SequencedEvent} on
 * {@link Topics#EVENTS}, in binary: a version byte; tenant, id, subject and meter; the quantity as an exact decimal;
 * the timestamp and the time received, each as epoch second and nanosecond; the properties (a count, then key and
 * value each); then, in the canonical log only, the partition and the sequence. Strings, decimals and counts as
 * {@link WireBytes} writes them. Every distinct event is written and read on both topics (the edge writes it, the
 * processor reads it and writes it to the log, the sink and the meters' backfills read that), so a JSON render and
 * parse there was work per event that nothing needed: two ISO-8601 instants and a tokenizer each time.
 *
 * <p>Both topics are kept (the raw topic for its retention, the canonical log for ever), so they still hold the JSON
 * records written before session 28: {@link #read} and {@link #readSequenced} read those too
 * ({@link UsageEventJson}), told apart by their first byte. Anything else is a
 * {@link UsageEventJson.MalformedEventException}, which the processor dead-letters with the reason, as it did for
 * JSON it could not read.
 */
public final class UsageEventBytes {
    /** An event as the edge accepted it. Not '{', nor the window aggregates' version (5), nor the stores' (2-4). */
    private static final int EVENT = 6;
    /** An event of the canonical log: the event, then its partition and sequence. */
    private static final int SEQUENCED = 7;
    private static final int JSON_START = '{';

    private UsageEventBytes() {
    }

    public static byte[] write(final UsageEvent event) {
        return event(EVENT, event).toBytes();
    }

    public static byte[] write(final SequencedEvent sequenced) {
        return event(SEQUENCED, sequenced.event())
                .writeVarLong(sequenced.partition())
                .writeVarLong(sequenced.sequence())
                .toBytes();
    }

    private static WireBytes.Writer event(final int version, final UsageEvent event) {
        final WireBytes.Writer out = new WireBytes.Writer(96 + event.subject().length() + event.id().length())
                .writeByte(version)
                .writeString(event.tenant())
                .writeString(event.id())
                .writeString(event.subject())
                .writeString(event.meter())
                .writeDecimal(event.quantity())
                .writeLong(event.timestamp().getEpochSecond())
                .writeInt(event.timestamp().getNano())
                .writeLong(event.receivedAt().getEpochSecond())
                .writeInt(event.receivedAt().getNano())
                .writeVarLong(event.properties().size());
        for (final Map.Entry<String, String> property : event.properties().entrySet()) {
            out.writeString(property.getKey()).writeString(property.getValue());
        }
        return out;
    }

    /**
     * The event in these bytes, binary or (written before session 28) JSON; a sequenced event's partition and
     * sequence are ignored.
     *
     * @throws UsageEventJson.MalformedEventException if they are neither
     */
    public static UsageEvent read(final byte[] bytes) {
        return decode(bytes, UsageEventJson::read, EVENT, in -> {
            final UsageEvent event = event(in);
            if (bytes[0] == SEQUENCED) {
                in.readVarInt();
                in.readVarLong();
            }
            return event;
        });
    }

    /**
     * The event of the canonical log in these bytes, binary or JSON.
     *
     * @throws UsageEventJson.MalformedEventException if they are neither, or carry no partition and sequence
     */
    public static SequencedEvent readSequenced(final byte[] bytes) {
        return decode(bytes, UsageEventJson::readSequenced, SEQUENCED,
                in -> new SequencedEvent(event(in), in.readVarInt(), in.readVarLong()));
    }

    /**
     * The event of the canonical log in a buffer's remaining bytes (as a view row holds it, V010); the buffer's
     * position does not move.
     *
     * @throws UsageEventJson.MalformedEventException if they are not such an event
     */
    public static SequencedEvent readSequenced(final ByteBuffer bytes) {
        final byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return readSequenced(copy);
    }

    /**
     * JSON by {@code json}; else, past a version byte of at least {@code lowest} (an event of the log is also an
     * event), by {@code binary}, which must read every byte.
     */
    private static <T> T decode(final byte[] bytes, final Function<byte[], T> json, final int lowest,
                                final Function<WireBytes.Reader, T> binary) {
        if (bytes == null) {
            throw new UsageEventJson.MalformedEventException("no value");
        }
        if (bytes.length > 0 && bytes[0] == JSON_START) {
            return json.apply(bytes);
        }
        try {
            final WireBytes.Reader in = new WireBytes.Reader(bytes, 0);
            final int version = in.readByte();
            if (version == EVENT && lowest == SEQUENCED) {
                throw new IllegalArgumentException("no partition and sequence, which the log requires");
            }
            if (version != EVENT && version != SEQUENCED) {
                throw new IllegalArgumentException("version " + version + ", not " + EVENT + " or " + SEQUENCED);
            }
            final T value = binary.apply(in);
            in.end();
            return value;
        } catch (final RuntimeException e) {
            throw new UsageEventJson.MalformedEventException("not a usage event (" + bytes.length + " bytes): "
                    + e.getMessage());
        }
    }

    private static UsageEvent event(final WireBytes.Reader in) {
        final String tenant = in.readString();
        final String id = in.readString();
        final String subject = in.readString();
        final String meter = in.readString();
        final BigDecimal quantity = in.readDecimal();
        final Instant timestamp = instant(in);
        final Instant receivedAt = instant(in);
        final int count = in.readVarInt();
        final Map<String, String> properties = count == 0 ? Map.of() : HashMap.newHashMap(count);
        for (int i = 0; i < count; i++) {
            final String key = in.readString();
            if (properties.put(key, in.readString()) != null) {
                throw new IllegalArgumentException("property '" + key + "' twice");
            }
        }
        return new UsageEvent(tenant, id, subject, meter, quantity, timestamp, properties, receivedAt);
    }

    private static Instant instant(final WireBytes.Reader in) {
        final long seconds = in.readLong();
        final int nanos = in.readInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds " + nanos + " out of range");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
