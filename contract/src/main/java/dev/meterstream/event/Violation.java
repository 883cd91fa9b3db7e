package dev.meterstream.event;

import java.util.List;

/**
 * Why an event was rejected: the field (as the client named it) and the rule it broke, in words a client developer
 * can act on.
 */
public record Violation(String field, String detail) {
    /** Adds the violation of a rule to {@code violations} if the rule found a problem (null: kept). */
    static void addIfBroken(final List<Violation> violations, final String field, final String problem) {
        if (problem != null) {
            violations.add(new Violation(field, problem));
        }
    }
}
