package dev.meterstream.event;

import java.util.List;

/**
 * Why an event was rejected: the field (as the client named it) and the rule it broke, in words a client developer
 * can act on.
 */
public record Violation(String field, String detail) {
    /**
     * Longest field name and detail an answer repeats: both may echo what the client sent (an unknown field's name,
     * a bad value), and an answer must not grow with it.
     */
    static final int MAX_FIELD = 200;
    static final int MAX_DETAIL = 1000;

    public Violation {
        field = clip(field, MAX_FIELD);
        detail = clip(detail, MAX_DETAIL);
    }

    private static String clip(final String text, final int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // Not between the two halves of a surrogate pair, so the answer stays well-formed UTF-8.
        final int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... (" + (text.length() - end) + " more characters)";
    }

    /** Adds the violation of a rule to {@code violations} if the rule found a problem (null: kept). */
    static void addIfBroken(final List<Violation> violations, final String field, final String problem) {
        if (problem != null) {
            violations.add(new Violation(field, problem));
        }
    }
}
