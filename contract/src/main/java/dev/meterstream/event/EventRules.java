package dev.meterstream.event;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules an event must keep, and their only home: the edge applies them to what a client sent (naming the
 * fields as the client wrote them, see {@link EventParser}), the processor applies {@link #check} to every record
 * read from the raw topic, whoever wrote it, and dead-letters what breaks them. Both therefore refuse exactly the
 * same events, and anything the edge answered 202 is counted. The lateness horizon in particular must be the same in
 * both, or the processor would drop what the edge accepted.
 *
 * @param latenessHorizon     oldest event time accepted, relative to the time received
 * @param futureTolerance     how far past the time received an event time may lie (clock skew)
 * @param maxIdLength         longest client id
 * @param maxSubjectLength    longest subject
 * @param maxMeterLength      longest meter slug
 * @param maxProperties       most properties per event
 * @param maxPropertyKeyLength   longest property key
 * @param maxPropertyValueLength longest property value
 */
public record EventRules(
        Duration latenessHorizon,
        Duration futureTolerance,
        int maxIdLength,
        int maxSubjectLength,
        int maxMeterLength,
        int maxProperties,
        int maxPropertyKeyLength,
        int maxPropertyValueLength) {

    /**
     * The rules with the contract's limits on sizes, and the two that are configured ({@code events.} keys, read in
     * one place by support's {@code ServiceConfig.eventRules} for the edge and the processor alike).
     */
    public static EventRules of(final Duration latenessHorizon, final Duration futureTolerance) {
        return new EventRules(latenessHorizon, futureTolerance, 128, 256, 64, 32, 64, 256);
    }


    public EventRules {
        if (latenessHorizon.isNegative() || latenessHorizon.isZero()) {
            throw new IllegalArgumentException("events.lateness-horizon must be positive, was " + latenessHorizon);
        }
        if (futureTolerance.isNegative()) {
            throw new IllegalArgumentException("events.future-tolerance must not be negative, was " + futureTolerance);
        }
        positive("max-id-length", maxIdLength);
        positive("max-subject-length", maxSubjectLength);
        positive("max-meter-length", maxMeterLength);
        positive("max-property-key-length", maxPropertyKeyLength);
        positive("max-property-value-length", maxPropertyValueLength);
        if (maxProperties < 0) {
            throw new IllegalArgumentException("max-properties must not be negative, was " + maxProperties);
        }
    }

    private static void positive(final String key, final int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }

    // Each rule below answers null when the value keeps it, else what is wrong, in words a client can act on.

    public String id(final String id) {
        return Text.problem(id, maxIdLength);
    }

    public String subject(final String subject) {
        final String problem = Text.problem(subject, maxSubjectLength);
        if (problem == null && subject.startsWith(WindowAggregate.ROLLUP_PREFIX)) {
            return "must not start with '" + WindowAggregate.ROLLUP_PREFIX + "' (reserved for totals over all "
                    + "subjects)";
        }
        return problem;
    }

    public String meter(final String meter) {
        if (meter.length() > maxMeterLength) {
            return "must be at most " + maxMeterLength + " characters";
        }
        if (!isSlug(meter)) {
            return "must be a slug: lower-case letters and digits, separated by single '.', '-' or '_' (e.g. "
                    + "api-calls)";
        }
        return null;
    }

    /**
     * {@code [a-z0-9]+([._-][a-z0-9]+)*}, checked by hand: the processor checks every event, and the regular
     * expression was 2% of its time.
     */
    static boolean isSlug(final String text) {
        boolean afterSeparator = true;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterSeparator = false;
            } else if ((c == '.' || c == '-' || c == '_') && !afterSeparator) {
                afterSeparator = true;
            } else {
                return false;
            }
        }
        return !afterSeparator;
    }

    public String propertyCount(final int count) {
        return count > maxProperties ? "must have at most " + maxProperties + " entries" : null;
    }

    public String propertyKey(final String key) {
        if (key.isEmpty() || key.length() > maxPropertyKeyLength) {
            return "property names must be 1 to " + maxPropertyKeyLength + " characters";
        }
        return Text.wellFormed(key);
    }

    public String propertyValue(final String value) {
        if (value.length() > maxPropertyValueLength) {
            return "must be at most " + maxPropertyValueLength + " characters";
        }
        return Text.wellFormed(value);
    }

    public String quantity(final BigDecimal quantity) {
        return Quantity.problem(quantity);
    }

    /** The event time against the time received: within the future tolerance ahead, the lateness horizon behind. */
    public String time(final Instant timestamp, final Instant receivedAt) {
        if (timestamp.isAfter(receivedAt.plus(futureTolerance))) {
            return "must not be more than " + describe(futureTolerance) + " in the future";
        }
        if (timestamp.isBefore(receivedAt.minus(latenessHorizon))) {
            return "must not be older than the lateness horizon of " + describe(latenessHorizon);
        }
        if (timestamp.isBefore(Instant.EPOCH)) {
            // Kafka record times, which the windows run on, cannot be before 1970.
            return "must not be before 1970-01-01T00:00:00Z";
        }
        return null;
    }

    /** The time received, which only the edge sets: it must be a time Kafka can stamp a record with. */
    public String receivedAt(final Instant receivedAt) {
        return receivedAt.isBefore(Instant.EPOCH) ? "must not be before 1970-01-01T00:00:00Z" : null;
    }

    /**
     * Every rule a decoded event breaks, with fields named as in the log's JSON; empty if it keeps them all. The
     * processor dead-letters a raw record for any of these, so the edge must refuse each of them first.
     */
    public List<Violation> check(final UsageEvent event) {
        final List<Violation> violations = new ArrayList<>();
        Violation.addIfBroken(violations, "tenant", Text.problem(event.tenant(), Integer.MAX_VALUE));
        Violation.addIfBroken(violations, "id", id(event.id()));
        Violation.addIfBroken(violations, "subject", subject(event.subject()));
        Violation.addIfBroken(violations, "meter", meter(event.meter()));
        Violation.addIfBroken(violations, "quantity", quantity(event.quantity()));
        Violation.addIfBroken(violations, "timestamp", time(event.timestamp(), event.receivedAt()));
        Violation.addIfBroken(violations, "receivedAt", receivedAt(event.receivedAt()));
        Violation.addIfBroken(violations, "properties", propertyCount(event.properties().size()));
        for (final Map.Entry<String, String> property : event.properties().entrySet()) {
            final String field = "properties." + Text.printable(property.getKey());
            final String keyProblem = propertyKey(property.getKey());
            Violation.addIfBroken(violations, field,
                    keyProblem != null ? keyProblem : propertyValue(property.getValue()));
        }
        return violations;
    }

    private static String describe(final Duration duration) {
        if (duration.toDaysPart() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + " days";
        }
        if (duration.equals(Duration.ofMinutes(duration.toMinutes()))) {
            return duration.toMinutes() + " minutes";
        }
        return duration.toString();
    }
}
