package dev.meterstream.meter;

import dev.meterstream.event.Text;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a defined meter finds a value in an event's properties (CloudEvents {@code data.properties}): a JSONPath
 * of one member, {@code $.name} or {@code $['any name']}. Properties are a flat map of strings (the event rules
 * refuse anything else), so a path of one member reaches every value there is; deeper paths are refused rather than
 * never matching.
 *
 * @param key the property's name
 */
public record PropertyPath(String key) {
    public PropertyPath {
        Objects.requireNonNull(key, "key");
    }

    /** The path in {@code text}, or an {@link IllegalArgumentException} saying what is wrong in words. */
    public static PropertyPath parse(final String text) {
        final String key;
        if (text.startsWith("$.")) {
            key = text.substring(2);
            if (!isPlainName(key)) {
                throw new IllegalArgumentException("must be $.name with a name of letters, digits, '_' or '-', or "
                        + "$['any name'] (properties are a flat map, so one member only), was "
                        + Text.printable(text));
            }
        } else if ((text.startsWith("$['") && text.endsWith("']")) || (text.startsWith("$[\"") && text.endsWith("\"]"))) {
            key = text.substring(3, text.length() - 2);
            final char quote = text.charAt(2);
            if (key.isEmpty() || key.indexOf(quote) >= 0 || key.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("a quoted name must be non-empty, without its quote or '\\', was "
                        + Text.printable(text));
            }
        } else {
            throw new IllegalArgumentException("must be a JSONPath into the event's properties: $.name or "
                    + "$['any name'], was " + Text.printable(text));
        }
        final String problem = Text.wellFormed(key);
        if (problem != null) {
            throw new IllegalArgumentException("the property name " + problem);
        }
        return new PropertyPath(key);
    }

    /** The path as written back: {@code $.name} where that reads the same, else {@code $['name']}. */
    public String text() {
        return isPlainName(key) ? "$." + key : "$['" + key + "']";
    }

    /** The property's value in {@code properties}, if it has one. */
    public Optional<String> valueIn(final Map<String, String> properties) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Letters, digits, '_' and '-', at least one: a name that needs no quoting in a path or a query string. */
    static boolean isPlainName(final String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
