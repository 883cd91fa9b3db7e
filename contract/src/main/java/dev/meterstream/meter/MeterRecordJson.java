package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.EventParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The values of the processor's boundary and progress records, as compact JSON. */
public final class MeterRecordJson {
    private MeterRecordJson() {
    }

    public static byte[] write(final MeterBoundary boundary) {
        return ("{\"sequence\":" + boundary.sequence() + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] write(final MeterProgress progress) {
        return ("{\"through\":" + progress.through() + ",\"boundary\":" + progress.boundary() + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static MeterBoundary boundary(final byte[] bytes) {
        final JsonNode node = read(bytes);
        return new MeterBoundary(number(node, "sequence"));
    }

    public static MeterProgress progress(final byte[] bytes) {
        final JsonNode node = read(bytes);
        return new MeterProgress(number(node, "through"), number(node, "boundary"));
    }

    private static JsonNode read(final byte[] bytes) {
        try {
            return EventParser.READER.readTree(bytes);
        } catch (final IOException e) {
            throw new IllegalArgumentException("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static long number(final JsonNode node, final String field) {
        final JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field " + field + " must be a whole number, was " + value);
        }
        return value.longValue();
    }
}
