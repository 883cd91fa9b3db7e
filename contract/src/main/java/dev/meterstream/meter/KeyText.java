package dev.meterstream.meter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.meterstream.event.WindowSize;
import java.time.Instant;
import java.util.Map;

/**
 * Writes the processor's record keys as compact JSON, character for character as Jackson writes them (its string
 * escaping, no spaces), without building a tree: every event writes several keys, and a key's text is what its
 * store entry, its topic record and compaction go by, so it must never change for the same key.
 */
final class KeyText {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private KeyText() {
    }

    static StringBuilder string(final StringBuilder text, final String value) {
        if (value == null) {
            return text.append("null");
        }
        text.append('"');
        ESCAPE.quoteAsString(value, text);
        return text.append('"');
    }

    /** {@code {"dimension":"value"|null,...}} in the map's order. */
    static StringBuilder groups(final StringBuilder text, final Map<String, String> groups) {
        text.append('{');
        boolean first = true;
        for (final Map.Entry<String, String> group : groups.entrySet()) {
            if (!first) {
                text.append(',');
            }
            first = false;
            string(text, group.getKey()).append(':');
            string(text, group.getValue());
        }
        return text.append('}');
    }

    /** A window key's seven elements, comma-separated ({@code groups} already as {@link #groups} text). */
    static StringBuilder window(final StringBuilder text, final String tenant, final String slug, final int version,
                                final String subject, final String groups, final WindowSize size,
                                final Instant windowStart) {
        string(text, tenant).append(',');
        string(text, slug).append(',').append(version).append(',');
        string(text, subject).append(',').append(groups).append(",\"").append(size.name()).append("\",\"")
                .append(windowStart).append('"');
        return text;
    }
}
