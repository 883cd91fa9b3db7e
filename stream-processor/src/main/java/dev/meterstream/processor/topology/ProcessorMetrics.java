package dev.meterstream.processor.topology;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

/**
 * The topology's own counters (Kafka Streams' metrics, such as rates, commit latency and lag, are exported beside
 * them by {@link StreamsMetricsExporter}). Under exactly-once, a record reprocessed after an aborted transaction is
 * counted again: these count work done, the output topics are what is exact.
 */
public final class ProcessorMetrics {
    static final String RECORDS_IN = "processor.records.in";
    static final String DUPLICATES = "processor.duplicates.dropped";
    static final String DEAD_LETTERS = "processor.dead.letters";
    static final String EVENTS_OUT = "processor.events.out";
    static final String METER_SKIPPED = "processor.meter.events.skipped";

    private final Counter recordsIn;
    private final Counter duplicates;
    private final Counter deadLetters;
    private final Counter eventsOut;
    private final Counter meterSkipped;

    public ProcessorMetrics(final MeterRegistry registry) {
        recordsIn = registry.getOrCreate(Counter.builder(RECORDS_IN).description("raw records read"));
        duplicates = registry.getOrCreate(Counter.builder(DUPLICATES)
                .description("copies of an already seen event dropped"));
        deadLetters = registry.getOrCreate(Counter.builder(DEAD_LETTERS)
                .description("raw records that could not be read, sent to the dead-letter topic"));
        eventsOut = registry.getOrCreate(Counter.builder(EVENTS_OUT)
                .description("distinct events written to the canonical log"));
        meterSkipped = registry.getOrCreate(Counter.builder(METER_SKIPPED)
                .description("events of a defined meter's type that brought it no value (missing, or not a number)"));
    }

    public static ProcessorMetrics global() {
        return new ProcessorMetrics(Metrics.globalRegistry());
    }

    void recordIn() {
        recordsIn.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    void eventOut() {
        eventsOut.increment();
    }

    /** An event of a defined meter's type brought it no value (counted per meter it skipped, live or backfill). */
    public void meterEventSkipped() {
        meterSkipped.increment();
    }
}
