package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns one JSON event object, as a client sent it, into a {@link UsageEvent} or the list of every rule it broke.
 * The same rules apply to every input shape; {@link Fields} says where each field sits in that shape (the native
 * shape, or CloudEvents), and violations name fields the way the client wrote them.
 */
public final class EventParser {
    private static final Pattern METER = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

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
                         Set<String> allowedMembers) {
        /** The pointers compiled once: JsonNode.at(String) would parse the pointer on every call. */
        private static final java.util.Map<String, JsonPointer> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

        static JsonPointer pointer(final String expression) {
            return COMPILED.computeIfAbsent(expression, JsonPointer::compile);
        }

        /** {@code {"id", "subject", "meter", "quantity", "timestamp", "properties"}}. */
        public static final Fields NATIVE = new Fields("/id", "/subject", "/meter", "/quantity", "/timestamp",
                "/properties", Set.of("id", "subject", "meter", "quantity", "timestamp", "properties"));
        /** CloudEvents 1.0 structured mode: {@code type} is the meter, {@code data} carries quantity and properties. */
        public static final Fields CLOUDEVENTS = new Fields("/id", "/subject", "/type", "/data/quantity", "/time",
                "/data/properties", null);
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
     * @param idGenerator makes an id where the client gave none
     */
    public Result parse(final JsonNode node, final Fields fields, final String tenant, final Instant receivedAt,
                        final Supplier<String> idGenerator) {
        if (node == null || !node.isObject()) {
            return new Rejected(List.of(new Violation("", "an event must be a JSON object")));
        }
        final List<Violation> violations = new ArrayList<>();
        if (fields.allowedMembers() != null) {
            for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                final String name = names.next();
                if (!fields.allowedMembers().contains(name)) {
                    violations.add(new Violation(name, "is not a field of a usage event (allowed: id, subject, meter, "
                            + "quantity, timestamp, properties; the tenant comes from the API key)"));
                }
            }
        }
        final String id = optionalText(node, fields.id(), violations);
        if (id != null) {
            checkText(fields.id(), id, rules.maxIdLength(), violations);
        }
        final String subject = requiredText(node, fields.subject(), violations);
        if (subject != null) {
            checkText(fields.subject(), subject, rules.maxSubjectLength(), violations);
            if (subject.startsWith(WindowAggregate.ROLLUP_PREFIX)) {
                violations.add(new Violation(name(fields.subject()), "must not start with '"
                        + WindowAggregate.ROLLUP_PREFIX + "' (reserved for totals over all subjects)"));
            }
        }
        final String meter = requiredText(node, fields.meter(), violations);
        if (meter != null) {
            if (meter.length() > rules.maxMeterLength()) {
                violations.add(new Violation(name(fields.meter()), "must be at most " + rules.maxMeterLength()
                        + " characters"));
            } else if (!METER.matcher(meter).matches()) {
                violations.add(new Violation(name(fields.meter()), "must be a slug: lower-case letters and digits, "
                        + "separated by single '.', '-' or '_' (e.g. api-calls)"));
            }
        }
        final double quantity = quantity(node, fields.quantity(), violations);
        final Instant timestamp = timestamp(node, fields.timestamp(), receivedAt, violations);
        final Map<String, String> properties = properties(node, fields.properties(), violations);
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

    private static void checkText(final String pointer, final String value, final int maxLength,
                                  final List<Violation> violations) {
        if (value.isEmpty()) {
            violations.add(new Violation(name(pointer), "must not be empty"));
        } else if (value.length() > maxLength) {
            violations.add(new Violation(name(pointer), "must be at most " + maxLength + " characters"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            violations.add(new Violation(name(pointer), "must not contain control characters"));
        }
    }

    private static double quantity(final JsonNode node, final String pointer, final List<Violation> violations) {
        final JsonNode value = node.at(Fields.pointer(pointer));
        if (absent(value)) {
            return 1.0;
        }
        if (!value.isNumber()) {
            violations.add(new Violation(name(pointer), "must be a number"));
            return 0;
        }
        final double quantity = value.doubleValue();
        if (!Double.isFinite(quantity)) {
            violations.add(new Violation(name(pointer), "must be a finite number"));
        } else if (quantity < 0) {
            violations.add(new Violation(name(pointer), "must be at least 0"));
        }
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
            timestamp = OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(name(pointer), "must be an RFC 3339 date-time with an offset, like "
                    + "2026-11-23T14:05:00Z"));
            return receivedAt;
        }
        if (timestamp.isAfter(receivedAt.plus(rules.futureTolerance()))) {
            violations.add(new Violation(name(pointer), "must not be more than " + rules.futureTolerance().toMinutes()
                    + " minutes in the future"));
        } else if (timestamp.isBefore(receivedAt.minus(rules.latenessHorizon()))) {
            violations.add(new Violation(name(pointer), "must not be older than the lateness horizon of "
                    + rules.latenessHorizon().toDays() + " days"));
        }
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
        if (value.size() > rules.maxProperties()) {
            violations.add(new Violation(name(pointer), "must have at most " + rules.maxProperties() + " entries"));
            return Map.of();
        }
        final Map<String, String> properties = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            final String field = name(pointer) + "." + entry.getKey();
            if (entry.getKey().isEmpty() || entry.getKey().length() > rules.maxPropertyKeyLength()) {
                violations.add(new Violation(field, "property names must be 1 to " + rules.maxPropertyKeyLength()
                        + " characters"));
            } else if (!entry.getValue().isTextual()) {
                violations.add(new Violation(field, "must be a string (properties are a flat map of strings)"));
            } else if (entry.getValue().textValue().length() > rules.maxPropertyValueLength()) {
                violations.add(new Violation(field, "must be at most " + rules.maxPropertyValueLength()
                        + " characters"));
            } else {
                properties.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        return properties;
    }
}
