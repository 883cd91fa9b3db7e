package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("count", state.count());
        if (state.number() != null) {
            node.put("number", Quantity.text(state.number()));
        }
        if (state.latestTime() != null) {
            node.put("latestTime", state.latestTime().toString());
            node.put("latestLogId", state.latestLogId());
        }
        if (!state.distinct().isEmpty()) {
            final ArrayNode distinct = node.putArray("distinct");
            state.distinct().forEach(distinct::add);
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
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
