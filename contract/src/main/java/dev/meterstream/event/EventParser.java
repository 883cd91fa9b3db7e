package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns one JSON event object, as a client sent it, into a {@link UsageEvent} or the list of every rule it broke.
 * The same rules apply to every input shape; {@link Fields} says where each field sits in that shape (the native
 * shape, or CloudEvents), and violations name fields the way the client wrote them.
 */
public final class EventParser {
    /**
     * How the JSON of events must be read into trees for {@link #parse}: numbers exactly as written (Jackson reads
     * decimals as doubles otherwise, losing digits before any rule could see them), a repeated member refused (which
     * of two values would count?), and nothing after the value.
     */
    public static final JsonMapper READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /**
     * A client's JSON as a tree, read by {@link #READER}. A number whose exponent does not fit an int cannot be a
     * BigDecimal: Jackson throws NumberFormatException for it, which would escape as a 500 (Jazzer found it,
     * IngestFuzzTest); here it is malformed JSON like any other, with a message that does not repeat the number.
     */
    public static JsonNode readTree(final byte[] bytes) throws IOException {
        try {
            return READER.readTree(bytes);
        } catch (final NumberFormatException e) {
            throw JsonMappingException.from((JsonParser) null, NUMBER_OUT_OF_RANGE, e);
        }
    }

    /** What is said of a number no exact quantity can hold. */
    public static final String NUMBER_OUT_OF_RANGE = "a number is out of range (its exponent is too large)";

    private final EventRules rules;

    public EventParser(final EventRules rules) {
        this.rules = rules;
    }

    public EventRules rules() {
        return rules;
    }

    /**
     * Where each field is, as JSON pointers, and which top-level members are allowed ({@code null}: any, as
     * CloudEvents allows extension attributes).
     */
    public record Fields(String id, String subject, String meter, String quantity, String timestamp, String properties,
                         Set<String> allowedMembers, boolean cloudEvent) {
        /** The pointers compiled once: JsonNode.at(String) would parse the pointer on every call. */
        private static final java.util.Map<String, JsonPointer> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

        static JsonPointer pointer(final String expression) {
            return COMPILED.computeIfAbsent(expression, JsonPointer::compile);
        }

        /** Whether a top-level member is one this shape reads an event field from. */
        boolean isEventField(final String member) {
            return Stream.of(id, subject, meter, quantity, timestamp, properties)
                    .anyMatch(pointer -> pointer.substring(1).split("/", 2)[0].equals(member));
        }

        /** {@code {"id", "subject", "meter", "quantity", "timestamp", "properties"}}. */
        public static final Fields NATIVE = new Fields("/id", "/subject", "/meter", "/quantity", "/timestamp",
                "/properties", Set.of("id", "subject", "meter", "quantity", "timestamp", "properties"), false);
        /**
         * CloudEvents 1.0: {@code type} is the meter, {@code data} (or {@code data_base64}) carries quantity and
         * properties, and the envelope's own rules apply ({@link CloudEventEnvelope}).
         */
        public static final Fields CLOUDEVENTS = new Fields("/id", "/subject", "/type", "/data/quantity", "/time",
                "/data/properties", null, true);
    }

    /** What became of one event. */
    public sealed interface Result permits Accepted, Rejected {
    }

    public record Accepted(UsageEvent event) implements Result {
    }

    public record Rejected(List<Violation> violations) implements Result {
        public Rejected {
            violations = List.copyOf(violations);
        }
    }

    /**
     * @param node        the event object
     * @param fields      where its fields are
     * @param tenant      the tenant of the API key
     * @param receivedAt  when it arrived; the default timestamp and the reference for the time rules
     * @param idGenerator makes an id where the client gave none; null if the client must give one (the default:
     *                    a server-made id makes every retry of a send a new event)
     */
    public Result parse(final JsonNode node, final Fields fields, final String tenant, final Instant receivedAt,
                        final Supplier<String> idGenerator) {
        if (node == null || !node.isObject()) {
            return new Rejected(List.of(new Violation("", "an event must be a JSON object")));
        }
        final List<Violation> violations = new ArrayList<>();
        final JsonNode event = fields.cloudEvent() ? CloudEventEnvelope.open(node, violations) : node;
        for (final Iterator<Map.Entry<String, JsonNode>> members = event.fields(); members.hasNext(); ) {
            final Map.Entry<String, JsonNode> member = members.next();
            final String name = member.getKey();
            if (fields.allowedMembers() != null && !fields.allowedMembers().contains(name)) {
                violations.add(new Violation(Text.printable(name), "is not a field of a usage event (allowed: id, "
                        + "subject, meter, quantity, timestamp, properties; the tenant comes from the API key)"));
            } else if (Text.wellFormed(name) != null) {
                violations.add(new Violation(Text.printable(name), "names must be well-formed Unicode without "
                        + "control characters"));
            } else if (fields.allowedMembers() == null && member.getValue().isTextual()
                    && !fields.isEventField(name)) {
                // A CloudEvents attribute this service does not use (source, specversion, an extension): kept to
                // the same text rules, so no request can carry text that a later reader of the log cannot encode.
                Violation.addIfBroken(violations, name, Text.wellFormed(member.getValue().textValue()));
            }
        }
        final String id = optionalText(event, fields.id(), violations);
        if (id != null) {
            Violation.addIfBroken(violations, name(fields.id()), rules.id(id));
        } else if (idGenerator == null && absent(event.at(Fields.pointer(fields.id())))) {
            violations.add(new Violation(name(fields.id()), "is required (a client-made id makes retries safe: "
                    + "copies of an id are counted once)"));
        }
        final String subject = requiredText(event, fields.subject(), violations);
        if (subject != null) {
            Violation.addIfBroken(violations, name(fields.subject()), rules.subject(subject));
        }
        final String meter = requiredText(event, fields.meter(), violations);
        if (meter != null) {
            Violation.addIfBroken(violations, name(fields.meter()), rules.meter(meter));
        }
        final BigDecimal quantity = quantity(event, fields.quantity(), violations);
        final Instant timestamp = timestamp(event, fields.timestamp(), receivedAt, violations);
        final Map<String, String> properties = properties(event, fields.properties(), violations);
        if (!violations.isEmpty()) {
            return new Rejected(violations);
        }
        return new Accepted(new UsageEvent(tenant, id == null ? idGenerator.get() : id, subject, meter, quantity,
                timestamp, properties, receivedAt));
    }

    private static String name(final String pointer) {
        return pointer.substring(1).replace('/', '.');
    }

    private static boolean absent(final JsonNode value) {
        return value.isMissingNode() || value.isNull();
    }

    private static String optionalText(final JsonNode node, final String pointer, final List<Violation> violations) {
        final JsonNode value = node.at(Fields.pointer(pointer));
        if (absent(value)) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(name(pointer), "must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static String requiredText(final JsonNode node, final String pointer, final List<Violation> violations) {
        if (absent(node.at(Fields.pointer(pointer)))) {
            violations.add(new Violation(name(pointer), "is required"));
            return null;
        }
        return optionalText(node, pointer, violations);
    }

    /**
     * A JSON number (read exactly: see {@link #READER}) or a decimal string.
     */
    private BigDecimal quantity(final JsonNode node, final String pointer, final List<Violation> violations) {
        final JsonNode value = node.at(Fields.pointer(pointer));
        if (absent(value)) {
            return BigDecimal.ONE;
        }
        final BigDecimal quantity;
        if (value.isNumber()) {
            if (value.isDouble() || value.isFloat()) {
                throw new IllegalStateException("quantities must be read as exact decimals, not doubles: read the "
                        + "JSON with EventParser.READER");
            }
            quantity = value.decimalValue();
        } else if (value.isTextual()) {
            quantity = Quantity.parse(value.textValue());
            if (quantity == null) {
                violations.add(new Violation(name(pointer), "must be a number or a decimal string like \"12.5\""));
                return BigDecimal.ZERO;
            }
        } else {
            violations.add(new Violation(name(pointer), "must be a number or a decimal string like \"12.5\""));
            return BigDecimal.ZERO;
        }
        Violation.addIfBroken(violations, name(pointer), rules.quantity(quantity));
        return quantity;
    }

    private Instant timestamp(final JsonNode node, final String pointer, final Instant receivedAt,
                              final List<Violation> violations) {
        final JsonNode value = node.at(Fields.pointer(pointer));
        if (absent(value)) {
            return receivedAt;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(name(pointer), "must be an RFC 3339 date-time string"));
            return receivedAt;
        }
        final Instant timestamp;
        try {
            timestamp = Timestamps.parseWithOffset(value.textValue());
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(name(pointer), "must be an RFC 3339 date-time with an offset, like "
                    + "2026-11-23T14:05:00Z"));
            return receivedAt;
        }
        Violation.addIfBroken(violations, name(pointer), rules.time(timestamp, receivedAt));
        return timestamp;
    }

    private Map<String, String> properties(final JsonNode node, final String pointer,
                                           final List<Violation> violations) {
        final JsonNode value = node.at(Fields.pointer(pointer));
        if (absent(value)) {
            return Map.of();
        }
        if (!value.isObject()) {
            violations.add(new Violation(name(pointer), "must be an object of string values"));
            return Map.of();
        }
        final String tooMany = rules.propertyCount(value.size());
        if (tooMany != null) {
            violations.add(new Violation(name(pointer), tooMany));
            return Map.of();
        }
        final Map<String, String> properties = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            final String field = name(pointer) + "." + Text.printable(entry.getKey());
            final String keyProblem = rules.propertyKey(entry.getKey());
            if (keyProblem != null) {
                violations.add(new Violation(field, keyProblem));
            } else if (!entry.getValue().isTextual()) {
                violations.add(new Violation(field, "must be a string (properties are a flat map of strings)"));
            } else {
                final String valueProblem = rules.propertyValue(entry.getValue().textValue());
                if (valueProblem != null) {
                    violations.add(new Violation(field, valueProblem));
                } else {
                    properties.put(entry.getKey(), entry.getValue().textValue());
                }
            }
        }
        return properties;
    }
}
