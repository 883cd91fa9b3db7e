package dev.meterstream.meter;

/** How a defined meter folds the values of its events in a window (issue 17; OpenMeter's set, all exact). */
public enum Aggregation {
    SUM,
    COUNT,
    AVG,
    MIN,
    MAX,
    /** Distinct values of the value property, counted exactly. */
    UNIQUE_COUNT,
    /** The value of the event with the latest event time; the lowest sequence id breaks ties. */
    LATEST;

    /** COUNT counts events; every other aggregation needs a property to take its value from. */
    public boolean needsValue() {
        return this != COUNT;
    }

    /** Whether the value must be a number (UNIQUE_COUNT counts any distinct strings). */
    public boolean numericValue() {
        return this != COUNT && this != UNIQUE_COUNT;
    }
}
