package dev.meterstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.meterstream.client.UsageEvent;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One line of input as a usage event: a JSON object with the fields ingest-api takes ({@code id}, {@code subject},
 * {@code meter}, {@code quantity}, {@code timestamp}, {@code properties}). A line that cannot be one is refused here,
 * with the reason, and never sent; any other rule is the server's, which answers for the event.
 */
final class EventLine {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();
    private static final Set<String> FIELDS = Set.of("id", "subject", "meter", "quantity", "timestamp",
            "properties");

    private EventLine() {
    }

    /** The event the line holds; {@link IllegalArgumentException} saying why if it holds none. */
    static UsageEvent read(final String line) {
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(name + ": is not a field of a usage event");
            }
        }
        final BigDecimal quantity = quantity(node.get("quantity"));
        return new UsageEvent(text(node, "id", false), text(node, "subject", true), text(node, "meter", true),
                quantity, timestamp(node.get("timestamp")), properties(node.get("properties")));
    }

    private static String text(final JsonNode node, final String field, final boolean required) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return value.textValue();
    }

    private static BigDecimal quantity(final JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                return new BigDecimal(value.textValue());
            }
        } catch (final NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("quantity: must be a number or a decimal string");
    }

    private static java.time.Instant timestamp(final JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp: must be an RFC 3339 date-time with an offset");
        }
    }

    private static Map<String, String> properties(final JsonNode value) {
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("properties: must be an object of strings");
        }
        final Map<String, String> properties = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("properties." + entry.getKey() + ": must be a string");
            }
            properties.put(entry.getKey(), entry.getValue().textValue());
        });
        return properties;
    }
}
