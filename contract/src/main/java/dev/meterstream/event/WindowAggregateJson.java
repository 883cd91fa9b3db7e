package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The wire format of a {@link WindowAggregate} on {@link Topics#AGGREGATES} (and in the processor's stores). */
public final class WindowAggregateJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WindowAggregateJson() {
    }

    public static byte[] write(final WindowAggregate aggregate) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(200);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("tenant", aggregate.tenant());
            json.writeStringField("meter", aggregate.meter());
            json.writeStringField("subject", aggregate.subject());
            json.writeStringField("window", aggregate.size().name());
            json.writeStringField("windowStart", Timestamps.format(aggregate.windowStart()));
            json.writeNumberField("count", aggregate.count());
            json.writeNumberField("sum", aggregate.sum());
            json.writeNumberField("min", aggregate.min());
            json.writeNumberField("max", aggregate.max());
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static WindowAggregate read(final byte[] bytes) {
        try {
            final JsonNode node = MAPPER.readTree(bytes);
            return new WindowAggregate(node.get("tenant").asText(), node.get("meter").asText(),
                    node.get("subject").asText(), WindowSize.valueOf(node.get("window").asText()),
                    Instant.parse(node.get("windowStart").asText()), node.get("count").asLong(),
                    node.get("sum").decimalValue(), node.get("min").asDouble(), node.get("max").asDouble());
        } catch (final IOException | RuntimeException e) {
            throw new UsageEventJson.MalformedEventException("not a window aggregate: " + e.getMessage());
        }
    }
}
