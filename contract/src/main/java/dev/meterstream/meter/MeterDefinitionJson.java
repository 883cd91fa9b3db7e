package dev.meterstream.meter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.EventRules;
import dev.meterstream.event.Text;
import dev.meterstream.event.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A meter definition as JSON: read from {@code PUT /api/meters/{slug}} with every problem named by its field, and
 * written back the same way (for answers, and as the value of the definitions topic).
 *
 * <pre>{"eventType": "api-calls", "aggregation": "SUM", "valueProperty": "$.tokens",
 *  "groupBy": {"model": "$.model"}, "description": "..."}</pre>
 */
public final class MeterDefinitionJson {
    /** Longest description, in UTF-16 units. */
    public static final int MAX_DESCRIPTION = 1024;
    /** Longest dimension name: names go into query strings ({@code groupBy=a,b}, {@code filter[a]=...}). */
    public static final int MAX_DIMENSION_NAME = 64;
    private static final Set<String> FIELDS = Set.of("eventType", "aggregation", "valueProperty", "groupBy",
            "description");

    /** A definition, or why there is none. */
    public record Parsed(MeterDefinition definition, List<Violation> violations) {
        public boolean valid() {
            return definition != null;
        }
    }

    private MeterDefinitionJson() {
    }

    public static Parsed parse(final String slug, final byte[] body, final EventRules rules) {
        final List<Violation> violations = new ArrayList<>();
        add(violations, "slug", rules.meter(slug));
        final JsonNode node;
        try {
            node = EventParser.readTree(body);
        } catch (final JsonProcessingException e) {
            violations.add(new Violation("", "must be a JSON object (" + e.getOriginalMessage() + ")"));
            return new Parsed(null, violations);
        } catch (final IOException e) {
            violations.add(new Violation("", "must be a JSON object"));
            return new Parsed(null, violations);
        }
        if (node == null || !node.isObject()) {
            violations.add(new Violation("", "must be a JSON object with eventType, aggregation, valueProperty, "
                    + "groupBy and description"));
            return new Parsed(null, violations);
        }
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(Text.printable(name), "is not a field of a meter definition (known: "
                        + "eventType, aggregation, valueProperty, groupBy, description)"));
            }
        }
        final String eventType = text(node, "eventType", true, violations);
        if (eventType != null) {
            add(violations, "eventType", rules.meter(eventType));
        }
        final Aggregation aggregation = aggregation(node, violations);
        final PropertyPath value = path(node.get("valueProperty"), "valueProperty", violations);
        if (aggregation != null && aggregation.needsValue() && value == null && !node.hasNonNull("valueProperty")) {
            violations.add(new Violation("valueProperty", "is required for " + aggregation + " (only COUNT has "
                    + "none): a JSONPath such as $.tokens into the event's properties"));
        }
        if (aggregation == Aggregation.COUNT && node.hasNonNull("valueProperty")) {
            violations.add(new Violation("valueProperty", "must be left out for COUNT, which counts events"));
        }
        final Map<String, PropertyPath> groupBy = groupBy(node.get("groupBy"), violations);
        final String description = text(node, "description", false, violations);
        if (description != null) {
            add(violations, "description", description.length() > MAX_DESCRIPTION
                    ? "must be at most " + MAX_DESCRIPTION + " characters" : Text.wellFormed(description));
        }
        if (!violations.isEmpty()) {
            return new Parsed(null, violations);
        }
        return new Parsed(new MeterDefinition(slug, eventType, aggregation,
                aggregation == Aggregation.COUNT ? null : value, groupBy, description), List.of());
    }

    /** The definition as the API answers it and the definitions topic holds it. */
    public static ObjectNode write(final MeterDefinition definition) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("slug", definition.slug());
        node.put("eventType", definition.eventType());
        node.put("aggregation", definition.aggregation().name());
        if (definition.value() != null) {
            node.put("valueProperty", definition.value().text());
        }
        final ObjectNode groupBy = node.putObject("groupBy");
        definition.groupBy().forEach((name, path) -> groupBy.put(name, path.text()));
        node.put("description", definition.description());
        return node;
    }

    private static String text(final JsonNode node, final String field, final boolean required,
                               final List<Violation> violations) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static Aggregation aggregation(final JsonNode node, final List<Violation> violations) {
        final String text = text(node, "aggregation", true, violations);
        if (text == null) {
            return null;
        }
        try {
            return Aggregation.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            violations.add(new Violation("aggregation", "must be one of SUM, COUNT, AVG, MIN, MAX, UNIQUE_COUNT, "
                    + "LATEST, was " + Text.printable(text)));
            return null;
        }
    }

    private static PropertyPath path(final JsonNode value, final String field, final List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string: a JSONPath such as $.tokens"));
            return null;
        }
        try {
            return PropertyPath.parse(value.textValue());
        } catch (final IllegalArgumentException e) {
            violations.add(new Violation(field, e.getMessage()));
            return null;
        }
    }

    private static Map<String, PropertyPath> groupBy(final JsonNode value, final List<Violation> violations) {
        final Map<String, PropertyPath> groupBy = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return groupBy;
        }
        if (!value.isObject()) {
            violations.add(new Violation("groupBy", "must be an object of dimension name to JSONPath, such as "
                    + "{\"model\": \"$.model\"}"));
            return groupBy;
        }
        if (value.size() > MeterDefinition.MAX_DIMENSIONS) {
            violations.add(new Violation("groupBy", "must have at most " + MeterDefinition.MAX_DIMENSIONS
                    + " dimensions, had " + value.size()));
            return groupBy;
        }
        for (final Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = fields.next();
            final String name = entry.getKey();
            final String field = "groupBy." + Text.printable(name);
            if (!isDimensionName(name)) {
                violations.add(new Violation(field, "a dimension's name must be 1 to " + MAX_DIMENSION_NAME
                        + " letters, digits, '_' or '-' (it is used in query strings)"));
                continue;
            }
            final PropertyPath path = path(entry.getValue(), field, violations);
            if (path == null && (entry.getValue() == null || entry.getValue().isNull())) {
                violations.add(new Violation(field, "must be a JSONPath such as $.model"));
            }
            if (path != null) {
                groupBy.put(name, path);
            }
        }
        return groupBy;
    }

    private static boolean isDimensionName(final String name) {
        return name.length() <= MAX_DIMENSION_NAME && PropertyPath.isPlainName(name);
    }

    private static void add(final List<Violation> violations, final String field, final String problem) {
        if (problem != null) {
            violations.add(new Violation(field, problem));
        }
    }
}
