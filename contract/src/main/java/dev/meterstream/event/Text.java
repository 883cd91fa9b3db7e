package dev.meterstream.event;

/**
 * What makes a string acceptable anywhere in an event: well-formed Unicode (every UTF-16 surrogate paired, so that
 * it has exactly one UTF-8 form) and no control characters. A lone surrogate is the dangerous case: JSON can carry
 * it as an escape ({@code "\ud800"}), but Kafka's string serializer turns it into '?' (so the record key no longer
 * matches the event) and the Cassandra driver refuses to encode it (so the sink cannot write it).
 */
public final class Text {
    private Text() {
    }

    /** Null if the value is non-empty, at most {@code maxLength} UTF-16 units and {@link #wellFormed}. */
    public static String problem(final String value, final int maxLength) {
        if (value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        return wellFormed(value);
    }

    /**
     * Null if every surrogate is paired and there is no control character (C0, DEL or C1; NUL among them), else
     * what is wrong and where.
     */
    public static String wellFormed(final String value) {
        final int length = value.length();
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return "must not contain control characters (found U+" + hex(c) + " at index " + i + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be well-formed Unicode (found an unpaired surrogate U+" + hex(c) + " at index " + i + ")";
            }
        }
        return null;
    }

    /**
     * Null if every string of the event is {@link #wellFormed}, else which one is not and why. For events read from
     * a topic that something other than the edge could write: the edge accepts no other, and the views store
     * strings as UTF-8, which has no form for an unpaired surrogate (it would be written as '?').
     */
    public static String wellFormed(final UsageEvent event) {
        final String[][] named = {{"tenant", event.tenant()}, {"id", event.id()}, {"subject", event.subject()},
                {"meter", event.meter()}};
        for (final String[] field : named) {
            final String problem = wellFormed(field[1]);
            if (problem != null) {
                return field[0] + " " + problem;
            }
        }
        for (final var property : event.properties().entrySet()) {
            String problem = wellFormed(property.getKey());
            if (problem == null) {
                problem = wellFormed(property.getValue());
            }
            if (problem != null) {
                return "properties." + printable(property.getKey()) + " " + problem;
            }
        }
        return null;
    }

    /** The value with its unpaired surrogates and control characters written as {@code \\uXXXX}, for messages. */
    public static String printable(final String value) {
        if (wellFormed(value) == null) {
            return value;
        }
        final StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c) || c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                out.append("\\u").append(hex(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String hex(final char c) {
        return String.format("%04X", (int) c);
    }
}
