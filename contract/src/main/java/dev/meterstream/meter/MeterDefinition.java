package dev.meterstream.meter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a tenant defines a meter to be (issue 17): which events it takes, what it takes from each, and how it folds
 * them. Two definitions that compute the same thing ({@link #sameComputation}) are one version of the meter; any
 * other change makes a new version, computed over the whole event log, so history is never silently rewritten.
 *
 * @param slug        the meter's name in the API, a slug as event meters are
 * @param eventType   the events it takes: their {@code meter} field (CloudEvents {@code type})
 * @param aggregation how it folds their values
 * @param value       where each event's value is; null only for {@link Aggregation#COUNT}
 * @param groupBy     dimension name to where its value is, in the order given; at most {@link #MAX_DIMENSIONS}
 * @param description free text for people; changing it changes no result
 */
public record MeterDefinition(String slug, String eventType, Aggregation aggregation, PropertyPath value,
                              Map<String, PropertyPath> groupBy, String description) {
    /** Dimensions a meter may group by: each one multiplies the series a window can hold. */
    public static final int MAX_DIMENSIONS = 5;

    public MeterDefinition {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(aggregation, "aggregation");
        if (aggregation.needsValue() && value == null) {
            throw new IllegalArgumentException(aggregation + " needs a value property");
        }
        if (groupBy.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("at most " + MAX_DIMENSIONS + " dimensions, was " + groupBy.size());
        }
        groupBy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groupBy));
        description = description == null ? "" : description;
    }

    /**
     * Whether {@code other} computes exactly what this does: the same events, values, aggregation and dimensions
     * (in any order). Only the description may differ.
     */
    public boolean sameComputation(final MeterDefinition other) {
        return eventType.equals(other.eventType) && aggregation == other.aggregation
                && Objects.equals(value, other.value) && groupBy.equals(other.groupBy);
    }
}
