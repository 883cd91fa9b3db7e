package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The wire format of a {@link WindowAggregate} on {@link Topics#AGGREGATES} until session 27 (now
 * {@link WindowAggregateBytes}, which still reads these): count, sum, min and max as JSON numbers in plain notation,
 * read back exactly (through {@link EventParser#READER}, which keeps decimals as written). Written only by tests now,
 * to stand for the records the compacted topic kept.
 */
public final class WindowAggregateJson {

    private WindowAggregateJson() {
    }

    public static byte[] write(final WindowAggregate aggregate) {
        return JsonBytes.write(200, json -> {
            json.writeStartObject();
            json.writeStringField("tenant", aggregate.tenant());
            json.writeStringField("meter", aggregate.meter());
            json.writeStringField("subject", aggregate.subject());
            json.writeStringField("window", aggregate.size().name());
            json.writeStringField("windowStart", Timestamps.format(aggregate.windowStart()));
            json.writeNumberField("count", aggregate.count());
            number(json, "sum", aggregate.sum());
            number(json, "min", aggregate.min());
            number(json, "max", aggregate.max());
            json.writeEndObject();
        });
    }

    private static void number(final JsonGenerator json, final String name, final BigDecimal value)
            throws IOException {
        json.writeFieldName(name);
        json.writeNumber(Quantity.text(value));
    }

    public static WindowAggregate read(final byte[] bytes) {
        try {
            final JsonNode node = EventParser.READER.readTree(bytes);
            return new WindowAggregate(node.get("tenant").asText(), node.get("meter").asText(),
                    node.get("subject").asText(), WindowSize.valueOf(node.get("window").asText()),
                    Instant.parse(node.get("windowStart").asText()), node.get("count").asLong(),
                    decimal(node, "sum"), decimal(node, "min"), decimal(node, "max"));
        } catch (final IOException | RuntimeException e) {
            throw new UsageEventJson.MalformedEventException("not a window aggregate: " + e.getMessage());
        }
    }

    private static BigDecimal decimal(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return value.decimalValue();
    }
}
