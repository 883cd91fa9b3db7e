package dev.meterstream.meter;

import dev.meterstream.event.WindowSize;
import dev.meterstream.wire.WireBytes;
import java.time.Instant;
import java.util.Objects;

/**
 * One window of one tenant's event type, for one subject or (null) all subjects: what every defined meter of that
 * type counts live in that window shares ({@link MeterRecordKey.TypeStates}). Each meter version's own window keys
 * ({@link MeterWindowKey}) are this plus its slug, version and group.
 *
 * @param tenant      whose events
 * @param eventType   their type (the event's {@code meter})
 * @param subject     the subject, or null for all subjects together
 * @param size        the window's size
 * @param windowStart the window's start
 */
public record MeterTypeWindow(String tenant, String eventType, String subject, WindowSize size,
                              Instant windowStart) {
    public MeterTypeWindow {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(windowStart, "windowStart");
    }

    /** The window of one meter version's group within this one. */
    public MeterWindowKey of(final MeterTypeStates.Entry entry) {
        return new MeterWindowKey(tenant, entry.slug(), entry.version(), subject, entry.groups(), size, windowStart);
    }

    void writeTo(final WireBytes.Writer out) {
        out.writeString(tenant).writeString(eventType).writeNullableString(subject);
        MeterWindowKey.writeWindow(out, size, windowStart);
    }

    static MeterTypeWindow readFrom(final WireBytes.Reader in) {
        final String tenant = in.readString();
        final String eventType = in.readString();
        final String subject = in.readNullableString();
        final WindowSize size = MeterWindowKey.readSize(in);
        return new MeterTypeWindow(tenant, eventType, subject, size, Instant.ofEpochSecond(in.readLong()));
    }
}
