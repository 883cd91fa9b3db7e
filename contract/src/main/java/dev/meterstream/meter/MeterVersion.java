package dev.meterstream.meter;

import dev.meterstream.wire.WireBytes;
import java.util.Objects;

/** One version of one tenant's meter: what live counting, backfill and progress are kept for. */
public record MeterVersion(String tenant, String slug, int version) {
    public MeterVersion {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(slug, "slug");
    }

    public static MeterVersion of(final StoredMeter meter) {
        return new MeterVersion(meter.tenant(), meter.definition().slug(), meter.version());
    }

    void writeTo(final WireBytes.Writer out) {
        out.writeString(tenant).writeString(slug).writeVarLong(version);
    }

    static MeterVersion readFrom(final WireBytes.Reader in) {
        return new MeterVersion(in.readString(), in.readString(), in.readVarInt());
    }
}
