package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.EventRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link StoredMeter} as the value of its record in the definitions topic, and as the API answers it: the
 * definition's fields as {@link MeterDefinitionJson} writes them, then {@code version}, {@code createdAt},
 * {@code versionAt}, {@code updatedAt} and {@code deleted}, the tenant, and (when there are any) what each earlier
 * version computed, {@code earlierVersions}: a list of {@code {"version": n, ...the definition's fields}}.
 */
public final class StoredMeterJson {
    private static final String EARLIER = "earlierVersions";

    private StoredMeterJson() {
    }

    public static ObjectNode write(final StoredMeter meter) {
        final ObjectNode node = MeterDefinitionJson.write(meter.definition());
        node.put("version", meter.version());
        node.put("createdAt", meter.createdAt().toString());
        node.put("versionAt", meter.versionAt().toString());
        node.put("updatedAt", meter.updatedAt().toString());
        node.put("deleted", meter.deleted());
        node.put("tenant", meter.tenant());
        if (!meter.earlier().isEmpty()) {
            final ArrayNode earlier = node.putArray(EARLIER);
            meter.earlier().forEach((version, definition) -> {
                final ObjectNode entry = earlier.addObject();
                entry.put("version", version);
                entry.setAll(MeterDefinitionJson.write(definition));
                entry.remove("slug");
            });
        }
        return node;
    }

    public static byte[] bytes(final StoredMeter meter) {
        return write(meter).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A record of the definitions topic. Only the services write it, so a record that does not read is a bug or a
     * foreign writer: it is refused with what is wrong, never half read.
     */
    public static StoredMeter read(final byte[] value, final EventRules rules) {
        final ObjectNode node;
        try {
            node = (ObjectNode) EventParser.READER.readTree(value);
        } catch (final IOException | ClassCastException e) {
            throw new IllegalArgumentException("a meter record must be a JSON object", e);
        }
        final ObjectNode definition = node.deepCopy();
        for (final String field : new String[] {"slug", "version", "createdAt", "versionAt", "updatedAt", "deleted",
                "tenant", EARLIER}) {
            definition.remove(field);
        }
        final String slug = required(node, "slug").asText();
        final MeterDefinition current = definition(slug, definition, rules);
        final SortedMap<Integer, MeterDefinition> earlier = new TreeMap<>();
        final JsonNode versions = node.get(EARLIER);
        if (versions != null) {
            if (!versions.isArray()) {
                throw new IllegalArgumentException("meter record " + slug + ": " + EARLIER + " must be a list");
            }
            for (final JsonNode version : versions) {
                final ObjectNode fields = (ObjectNode) version.deepCopy();
                fields.remove("version");
                earlier.put(required(version, "version").asInt(), definition(slug, fields, rules));
            }
        }
        try {
            return new StoredMeter(required(node, "tenant").asText(), current,
                    required(node, "version").asInt(), instant(node, "createdAt"), instant(node, "versionAt"),
                    instant(node, "updatedAt"), required(node, "deleted").asBoolean(), earlier);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("meter record " + slug + ": " + e.getMessage(), e);
        }
    }

    private static MeterDefinition definition(final String slug, final ObjectNode fields, final EventRules rules) {
        final MeterDefinitionJson.Parsed parsed = MeterDefinitionJson.parse(slug,
                fields.toString().getBytes(StandardCharsets.UTF_8), rules);
        if (!parsed.valid()) {
            throw new IllegalArgumentException("meter record " + slug + ": " + parsed.violations());
        }
        return parsed.definition();
    }

    private static JsonNode required(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("a meter record needs " + field);
        }
        return value;
    }

    private static Instant instant(final JsonNode node, final String field) {
        return Instant.parse(required(node, field).asText());
    }
}
