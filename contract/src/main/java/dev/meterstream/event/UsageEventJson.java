package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link UsageEvent} on Kafka: a flat object with every field, timestamps as ISO-8601 UTC strings
 * (nanosecond precision kept). The edge wrote it to {@link Topics#RAW} and the processor to {@link Topics#EVENTS}
 * until session 28; both now write {@link UsageEventBytes}, which reads these records still, as the topics keep
 * them. Anything neither can read, or that breaks {@link EventRules}, the processor dead-letters with the reason.
 */
public final class UsageEventJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private UsageEventJson() {
    }

    /** Thrown for bytes that are not a well-formed event; the message says why. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(final String message) {
            super(message);
        }
    }

    public static byte[] write(final UsageEvent event) {
        return write(event, -1, -1);
    }

    /** An event of the canonical log: the event's fields plus {@code partition} and {@code sequence}. */
    public static byte[] write(final SequencedEvent sequenced) {
        return write(sequenced.event(), sequenced.partition(), sequenced.sequence());
    }

    private static byte[] write(final UsageEvent event, final int partition, final long sequence) {
        return JsonBytes.write(256, json -> {
            json.writeStartObject();
            json.writeStringField("tenant", event.tenant());
            json.writeStringField("id", event.id());
            json.writeStringField("subject", event.subject());
            json.writeStringField("meter", event.meter());
            json.writeFieldName("quantity");
            json.writeNumber(Quantity.text(event.quantity()));
            json.writeStringField("timestamp", Timestamps.format(event.timestamp()));
            if (!event.properties().isEmpty()) {
                json.writeObjectFieldStart("properties");
                for (final Map.Entry<String, String> entry : event.properties().entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            json.writeStringField("receivedAt", Timestamps.format(event.receivedAt()));
            if (partition >= 0) {
                json.writeNumberField("partition", partition);
                json.writeNumberField("sequence", sequence);
            }
            json.writeEndObject();
        });
    }

    public static UsageEvent read(final byte[] bytes) {
        return parse(bytes).event();
    }

    /** An event of the canonical log; fails if it carries no partition and sequence. */
    public static SequencedEvent readSequenced(final byte[] bytes) {
        final Parsed parsed = parse(bytes);
        if (parsed.partition() == null || parsed.sequence() == null) {
            throw new MalformedEventException("missing field(s): partition and sequence are required in the log");
        }
        return new SequencedEvent(parsed.event(), parsed.partition(), parsed.sequence());
    }

    private record Parsed(UsageEvent event, Integer partition, Long sequence) {
    }

    private static Parsed parse(final byte[] bytes) {
        if (bytes == null) {
            throw new MalformedEventException("no value");
        }
        String tenant = null;
        String id = null;
        String subject = null;
        String meter = null;
        BigDecimal quantity = null;
        Instant timestamp = null;
        Instant receivedAt = null;
        Integer partition = null;
        Long sequence = null;
        Map<String, String> properties = Map.of();
        try (JsonParser json = JSON.createParser(bytes)) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "an object");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                final String field = json.currentName();
                final JsonToken token = json.nextToken();
                switch (field) {
                    case "tenant" -> tenant = text(json, token, field);
                    case "id" -> id = text(json, token, field);
                    case "subject" -> subject = text(json, token, field);
                    case "meter" -> meter = text(json, token, field);
                    case "quantity" -> {
                        if (!token.isNumeric()) {
                            throw new MalformedEventException("quantity must be a number");
                        }
                        // Exactly as written: the text of the number, never through a double.
                        quantity = json.getDecimalValue();
                    }
                    case "timestamp" -> timestamp = instant(text(json, token, field), field);
                    case "receivedAt" -> receivedAt = instant(text(json, token, field), field);
                    case "properties" -> properties = properties(json, token);
                    case "partition" -> partition = (int) integer(json, token, field);
                    case "sequence" -> sequence = integer(json, token, field);
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new MalformedEventException("trailing content after the event object");
            }
        } catch (final JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage());
        } catch (final NumberFormatException e) {
            // A raw record not written by ingest-api: dead-lettered, where it would otherwise stop the stream thread.
            throw new MalformedEventException(EventParser.NUMBER_OUT_OF_RANGE);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tenant == null || id == null || subject == null || meter == null || quantity == null || timestamp == null
                || receivedAt == null) {
            throw new MalformedEventException("missing field(s): tenant, id, subject, meter, quantity, timestamp and "
                    + "receivedAt are all required");
        }
        return new Parsed(new UsageEvent(tenant, id, subject, meter, quantity, timestamp, properties, receivedAt),
                partition, sequence);
    }

    private static long integer(final JsonParser json, final JsonToken token, final String field) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedEventException(field + " must be an integer");
        }
        return json.getLongValue();
    }

    private static void expect(final JsonToken actual, final JsonToken expected, final String what) {
        if (actual != expected) {
            throw new MalformedEventException("expected " + what + ", found " + actual);
        }
    }

    private static String text(final JsonParser json, final JsonToken token, final String field) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new MalformedEventException(field + " must be a string");
        }
        return json.getText();
    }

    private static Instant instant(final String text, final String field) {
        try {
            return Timestamps.parse(text);
        } catch (final DateTimeParseException e) {
            throw new MalformedEventException(field + " must be an ISO-8601 instant, was '" + text + "'");
        }
    }

    private static Map<String, String> properties(final JsonParser json, final JsonToken token) throws IOException {
        expect(token, JsonToken.START_OBJECT, "properties to be an object");
        final Map<String, String> properties = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            final String key = json.currentName();
            properties.put(key, text(json, json.nextToken(), "properties." + key));
        }
        return properties;
    }
}
