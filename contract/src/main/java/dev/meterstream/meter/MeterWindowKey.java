package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.WindowSize;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which state of a defined meter a {@link MeterState} is: one version of one tenant's meter, one subject, one group
 * (a value, or null, per dimension), one window. As text (the key of its store and topic records) it is a compact
 * JSON array: subjects and dimension values may hold any character, '/' included, and JSON strings keep them
 * apart without an escape scheme of our own.
 *
 * @param tenant      whose meter
 * @param slug        the meter
 * @param version     its version ({@link StoredMeter#version()})
 * @param subject     the subject the events were for; null for all subjects together (a separate state, so that
 *                    "usage of all subjects" is not a read of every subject)
 * @param groups      dimension name to value (null: the event had none), in the definition's order
 * @param size        the window's size
 * @param windowStart the window's start
 */
public record MeterWindowKey(String tenant, String slug, int version, String subject, Map<String, String> groups,
                             WindowSize size, Instant windowStart) {
    public MeterWindowKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(windowStart, "windowStart");
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** The group as a compact JSON object in the definition's order, as the views key it. */
    public String groupsText() {
        final ObjectNode dimensions = JsonNodeFactory.instance.objectNode();
        groups.forEach(dimensions::put);
        return dimensions.toString();
    }

    /** A group read back from {@link #groupsText()}. */
    public static Map<String, String> groupsOf(final String text) {
        try {
            return groupsOf(EventParser.READER.readTree(text));
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a group: " + text, e);
        }
    }

    /** A group as a JSON object: dimension to value, null where the event had none. */
    private static Map<String, String> groupsOf(final JsonNode object) {
        final Map<String, String> groups = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            groups.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().textValue());
        }
        return groups;
    }

    /** The same window and group over all subjects. */
    public MeterWindowKey allSubjects() {
        return new MeterWindowKey(tenant, slug, version, null, groups, size, windowStart);
    }

    /** {@code ["tenant","slug",version,"subject"|null,{"dimension":"value"|null,...},"SIZE","windowStart"]}. */
    public String text() {
        final ArrayNode array = JsonNodeFactory.instance.arrayNode();
        addTo(array);
        return array.toString();
    }

    /** Appends this key's seven elements to {@code array} (keys that embed a window key). */
    void addTo(final ArrayNode array) {
        array.add(tenant).add(slug).add(version).add(subject);
        final ObjectNode dimensions = array.addObject();
        groups.forEach(dimensions::put);
        array.add(size.name()).add(windowStart.toString());
    }

    public static MeterWindowKey parse(final String text) {
        try {
            final JsonNode array = EventParser.READER.readTree(text);
            if (array == null || !array.isArray() || array.size() != 7) {
                throw new IllegalArgumentException("a meter window key is a JSON array of 7, was " + text);
            }
            return readFrom(array, 0);
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a meter window key: " + text, e);
        }
    }

    /** The seven elements of a window key in {@code array} from {@code first} on. */
    static MeterWindowKey readFrom(final JsonNode array, final int first) {
        final Map<String, String> groups = groupsOf(array.get(first + 4));
        final JsonNode subject = array.get(first + 3);
        if (!subject.isNull() && !subject.isTextual()) {
            throw new IllegalArgumentException("a subject is a string or null, was " + subject);
        }
        return new MeterWindowKey(text(array, first), text(array, first + 1), array.get(first + 2).intValue(),
                subject.textValue(), groups, WindowSize.valueOf(text(array, first + 5)),
                Instant.parse(text(array, first + 6)));
    }

    private static String text(final JsonNode array, final int index) {
        final JsonNode node = array.get(index);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("element " + index + " must be a string, was " + node);
        }
        return node.textValue();
    }
}
