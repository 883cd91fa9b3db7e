package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

    ArrayNode addTo(final ArrayNode array) {
        return array.add(tenant).add(slug).add(version);
    }

    static MeterVersion readFrom(final JsonNode array, final int first) {
        if (!array.get(first).isTextual() || !array.get(first + 1).isTextual() || !array.get(first + 2).isInt()) {
            throw new IllegalArgumentException("a meter version is a tenant, a slug and a number");
        }
        return new MeterVersion(array.get(first).textValue(), array.get(first + 1).textValue(),
                array.get(first + 2).intValue());
    }
}
