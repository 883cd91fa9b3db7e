package dev.meterstream.query;

import dev.meterstream.event.Violation;
import dev.meterstream.event.WindowSize;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import io.helidon.common.parameters.Parameters;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a request's query parameters, collecting every violation, so one 400 answer names all that is wrong.
 * Call {@link #check()} before using what was read.
 */
final class QueryParams {
    private final Parameters query;
    private final List<Violation> violations = new ArrayList<>();

    QueryParams(final Parameters query) {
        this.query = query;
    }

    Instant instant(final String name) {
        final Optional<String> text = text(name);
        if (text.isEmpty()) {
            violations.add(new Violation(name, "is required: an ISO-8601 UTC instant such as 2026-11-23T00:00:00Z"));
            return null;
        }
        try {
            return Instant.parse(text.get());
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(name, "must be an ISO-8601 UTC instant such as 2026-11-23T00:00:00Z, was '"
                    + text.get() + "'"));
            return null;
        }
    }

    WindowSize window(final String name, final WindowSize fallback, final List<WindowSize> allowed) {
        final Optional<String> text = text(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            final WindowSize size = WindowSize.valueOf(text.get().toUpperCase(Locale.ROOT));
            if (allowed.contains(size)) {
                return size;
            }
        } catch (final IllegalArgumentException e) {
            // reported below
        }
        violations.add(new Violation(name, "must be one of " + allowed + ", was '" + text.get() + "'"));
        return fallback;
    }

    int integer(final String name, final int fallback, final int min, final int max) {
        final Optional<String> text = text(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation(name, "must be a whole number from " + min + " to " + max + ", was '"
                + text.get() + "'"));
        return fallback;
    }

    Optional<String> text(final String name) {
        return query.first(name).asOptional().filter(value -> !value.isBlank());
    }

    List<String> all(final String name) {
        return query.contains(name) ? query.all(name).stream().filter(value -> !value.isBlank()).toList()
                : List.of();
    }

    /**
     * Parameters named {@code prefix[key]}, key to their (first) value, in the order given; an empty value is kept
     * (it matches an empty string).
     */
    java.util.Map<String, String> bracketed(final String prefix) {
        final java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        for (final String name : query.names()) {
            if (name.startsWith(prefix + "[") && name.endsWith("]")) {
                found.put(name.substring(prefix.length() + 1, name.length() - 1), query.all(name).getFirst());
            }
        }
        return found;
    }

    /** from before to, and the range no longer than {@code max}. */
    void range(final Instant from, final Instant to, final Duration max) {
        if (from == null || to == null) {
            return;
        }
        if (!from.isBefore(to)) {
            violations.add(new Violation("to", "must be after from"));
        } else if (Duration.between(from, to).compareTo(max) > 0) {
            violations.add(new Violation("to", "the range may span at most " + max + ", was "
                    + Duration.between(from, to)));
        }
    }

    /** from and to on window boundaries, and at most {@code maxPoints} windows between them. */
    void windows(final Instant from, final Instant to, final WindowSize size, final int maxPoints) {
        if (from == null || to == null) {
            return;
        }
        for (final String name : List.of("from", "to")) {
            final Instant value = name.equals("from") ? from : to;
            if (!size.start(value).equals(value)) {
                violations.add(new Violation(name, "must start a " + size + " window (UTC), such as "
                        + size.start(value) + ", was " + value));
            }
        }
        if (!from.isBefore(to)) {
            violations.add(new Violation("to", "must be after from"));
        } else if (Duration.between(from, to).dividedBy(size.duration()) > maxPoints) {
            violations.add(new Violation("to", "at most " + maxPoints + " " + size + " windows per answer, asked for "
                    + Duration.between(from, to).dividedBy(size.duration())));
        }
    }

    void violation(final String field, final String detail) {
        violations.add(new Violation(field, detail));
    }

    /** Throws a 400 problem naming every violation found, if any. */
    void check() {
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query",
                    "the query parameters break the rules listed in errors").withErrors(violations));
        }
    }
}
