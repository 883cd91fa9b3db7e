package dev.meterstream.meter;

import dev.meterstream.event.Quantity;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one event of the log brings to one defined meter: its group (the value of each dimension, null where the
 * event has none: absent dimensions group under null) and its value, taken as the definition says. The event's
 * own {@code quantity} plays no part: a defined meter reads what it was defined to read.
 *
 * @param groups  dimension name to the event's value, in the definition's order
 * @param number  the value as an exact number (SUM, AVG, MIN, MAX, LATEST); null for COUNT and UNIQUE_COUNT
 * @param text    the value as a string (UNIQUE_COUNT counts distinct strings); null otherwise
 * @param time    the event's time (windows, and LATEST)
 * @param logId   the event's id in the log, packed ({@link SequencedEvent#packed()}): LATEST's tie-break
 */
public record MeterInput(Map<String, String> groups, BigDecimal number, String text, java.time.Instant time,
                         long logId) {
    public MeterInput {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** Why an event of the meter's type brings nothing to it. */
    public enum Skip {
        /** The value property is missing. */
        NO_VALUE,
        /** The value is not a number (or outside the bounds of an exact quantity, 38 digits, 18 after the point). */
        NOT_A_NUMBER
    }

    /** Either an input or why the event was skipped; empty when the event is not of the meter's type at all. */
    public record Taken(MeterInput input, Skip skipped) {
    }

    /** What {@code sequenced} brings to {@code definition}; empty if it is another event type. */
    public static Optional<Taken> of(final MeterDefinition definition, final SequencedEvent sequenced) {
        final UsageEvent event = sequenced.event();
        if (!event.meter().equals(definition.eventType())) {
            return Optional.empty();
        }
        final Map<String, String> groups = new LinkedHashMap<>();
        definition.groupBy().forEach((name, path) -> groups.put(name, path.valueIn(event.properties()).orElse(null)));
        final Aggregation aggregation = definition.aggregation();
        if (!aggregation.needsValue()) {
            return taken(new MeterInput(groups, null, null, event.timestamp(), sequenced.packed()));
        }
        final Optional<String> value = definition.value().valueIn(event.properties());
        if (value.isEmpty()) {
            return Optional.of(new Taken(null, Skip.NO_VALUE));
        }
        if (!aggregation.numericValue()) {
            return taken(new MeterInput(groups, null, value.get(), event.timestamp(), sequenced.packed()));
        }
        final BigDecimal number = Quantity.parse(value.get().trim());
        if (number == null || Quantity.problem(number.abs()) != null) {
            return Optional.of(new Taken(null, Skip.NOT_A_NUMBER));
        }
        return taken(new MeterInput(groups, Quantity.canonical(number), null, event.timestamp(), sequenced.packed()));
    }

    private static Optional<Taken> taken(final MeterInput input) {
        return Optional.of(new Taken(input, null));
    }
}
