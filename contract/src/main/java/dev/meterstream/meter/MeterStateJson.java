package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeSet;

/**
 * A {@link MeterState} as JSON, exactly: the number as a decimal string (never a double), the LATEST fields only
 * when set, the distinct values only when there are any. {@code {"count":3,"number":"2.5"}}.
 */
public final class MeterStateJson {
    private MeterStateJson() {
    }

    public static byte[] write(final MeterState state) {
        // By hand, not through a tree: the live fold writes one per state it changes, several per event.
        final StringBuilder text = new StringBuilder(96).append("{\"count\":").append(state.count());
        if (state.number() != null) {
            text.append(",\"number\":\"").append(Quantity.text(state.number())).append('"');
        }
        if (state.latestTime() != null) {
            text.append(",\"latestTime\":\"").append(state.latestTime()).append("\",\"latestLogId\":")
                    .append(state.latestLogId());
        }
        if (!state.distinct().isEmpty()) {
            text.append(",\"distinct\":[");
            boolean first = true;
            for (final String value : state.distinct()) {
                KeyText.string(first ? text : text.append(','), value);
                first = false;
            }
            text.append(']');
        }
        return text.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    public static MeterState read(final byte[] bytes) {
        try {
            final JsonNode node = EventParser.READER.readTree(bytes);
            final TreeSet<String> distinct = new TreeSet<>();
            if (node.has("distinct")) {
                node.get("distinct").forEach(value -> distinct.add(value.textValue()));
            }
            return new MeterState(node.get("count").longValue(),
                    node.has("number") ? new BigDecimal(node.get("number").textValue()) : null,
                    node.has("latestTime") ? Instant.parse(node.get("latestTime").textValue()) : null,
                    node.has("latestLogId") ? node.get("latestLogId").longValue() : 0, distinct);
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a meter state: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
