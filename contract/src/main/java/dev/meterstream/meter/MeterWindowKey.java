package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.WindowSize;
import dev.meterstream.wire.WireBytes;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which state of a defined meter a {@link MeterState} is: one version of one tenant's meter, one subject, one group
 * (a value, or null, per dimension), one window. Subjects and dimension values may hold any character; the binary
 * form ({@link MeterRecordKey}) keeps them apart by length, and {@link #groupsText()} (the views' column) by JSON.
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
        if (groups.isEmpty()) {
            // A meter without dimensions, written once per distinct value: not worth a JSON tree each time.
            return "{}";
        }
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

    /**
     * The size of the stored windows a window of {@code size} is read from, for one subject or (null) all: a
     * subject's days are read as its hours, and every other window as itself (a subject's minutes are not stored
     * at all: {@link #readFromEvents}). Per subject a state hardly folds between two commits (a subject's events
     * are seconds apart), so each size kept costs one more write per event and meter all the way to Cassandra; a
     * day is only 24 hours to read. All subjects together keep all three sizes: their states fold well, and a day
     * of them read as hours would be 24 rows per shard and group.
     */
    public static WindowSize storedAs(final WindowSize size, final String subject) {
        return subject != null && size == WindowSize.DAY ? WindowSize.HOUR : size;
    }

    /**
     * Whether windows of {@code size} for one subject (null: all) are folded from the subject's events when read,
     * not stored: a subject's minutes. A minute holds a few of a subject's events, so folding them at read time
     * costs little, while storing them cost one more state per event and meter (written to RocksDB, the changelog
     * and Cassandra) that was almost never read. The events are the log's, each once ({@code events_by_subject_day}),
     * and {@link MeterCoverage} says which of them a version holds.
     */
    public static boolean readFromEvents(final WindowSize size, final String subject) {
        return subject != null && size == WindowSize.MINUTE;
    }

    /** Whether windows of {@code size} for one subject (null: all) are stored as states. */
    public static boolean stored(final WindowSize size, final String subject) {
        return storedAs(size, subject) == size && !readFromEvents(size, subject);
    }

    /** The same window and group over all subjects. */
    public MeterWindowKey allSubjects() {
        return new MeterWindowKey(tenant, slug, version, null, groups, size, windowStart);
    }

    /** Appends this key in its binary form (keys that embed a window key; see {@link MeterRecordKey}). */
    void writeTo(final WireBytes.Writer out) {
        out.writeString(tenant).writeString(slug).writeVarLong(version).writeNullableString(subject);
        writeGroups(out, groups);
        writeWindow(out, size, windowStart);
    }

    /** A group as every binary form that holds one writes it: its size, then each dimension and value. */
    static void writeGroups(final WireBytes.Writer out, final Map<String, String> groups) {
        out.writeVarLong(groups.size());
        groups.forEach((name, value) -> out.writeString(name).writeNullableString(value));
    }

    /** A group as {@link #writeGroups} wrote it, in its order. */
    static Map<String, String> readGroups(final WireBytes.Reader in) {
        final int dimensions = in.readVarInt();
        final Map<String, String> groups = new LinkedHashMap<>();
        for (int i = 0; i < dimensions; i++) {
            groups.put(in.readString(), in.readNullableString());
        }
        return groups;
    }

    /** A window's size and start, as every key that holds one writes them. */
    static void writeWindow(final WireBytes.Writer out, final WindowSize size, final Instant windowStart) {
        if (windowStart.getNano() != 0) {
            throw new IllegalArgumentException("a window starts on a whole second, was " + windowStart);
        }
        out.writeByte(size.code()).writeLong(windowStart.getEpochSecond());
    }

    /** A window's size as {@link #writeWindow} wrote it (its start follows: a long of epoch seconds). */
    static WindowSize readSize(final WireBytes.Reader in) {
        return WindowSize.ofCode(in.readByte());
    }

    /** A window key as {@link #writeTo} wrote it. */
    static MeterWindowKey readFrom(final WireBytes.Reader in) {
        final String tenant = in.readString();
        final String slug = in.readString();
        final int version = in.readVarInt();
        final String subject = in.readNullableString();
        final Map<String, String> groups = readGroups(in);
        final WindowSize size = readSize(in);
        return new MeterWindowKey(tenant, slug, version, subject, groups, size,
                Instant.ofEpochSecond(in.readLong()));
    }
}
