package dev.meterstream.event;

/** Every Kafka topic of the system, in one place (see docs/architecture.md for who writes and reads each). */
public final class Topics {
    /** Every event the edge accepted, duplicates included; key {@link EventKey}, value {@link UsageEventJson}. */
    public static final String RAW = "usage.raw";
    /** The canonical event log: each distinct event once, with its partition-scoped ID. */
    public static final String EVENTS = "usage.events";
    /** Absolute window totals per tenant/meter/subject/window. */
    public static final String AGGREGATES = "usage.aggregates";
    /** Records the processor could not read, with the reason. */
    public static final String DEAD_LETTERS = "usage.dead-letters";

    private Topics() {
    }
}
