package dev.meterstream.event;

import java.util.List;
import java.util.Locale;

/**
 * Every state store of the stream processor, in one place beside {@link Topics}: each store is backed by a
 * changelog topic named after it ({@code <application id>-<store>-changelog}), which operators see on the brokers
 * and which the processor's Kafka permissions must cover.
 */
public final class StoreNames {
    /** Hashed ids of every event within the horizon, by receipt bucket: the authority on copies. */
    public static final String DEDUPE_COLD = "dedupe-cold";
    /** The next dense id of each raw partition. */
    public static final String PARTITION_SEQUENCE = "partition-sequence";
    /** The totals of all subjects per meter and window, per raw partition. */
    public static final String ROLLUP = "rollup";
    /** The states of defined meters per shard, and the distinct values of unique counts already sent. */
    public static final String METER_STATES = "meter-states";
    /**
     * Where each shard began counting each meter version live, and where it stopped once the version left the
     * versions in force (see {@code dev.meterstream.meter.MeterBoundary}).
     */
    public static final String METER_BOUNDARIES = "meter-boundaries";
    /**
     * Every meter definition, a global store (each task holds all of it), filled from {@link Topics#METER_DEFINITIONS}
     * itself rather than a changelog of its own.
     */
    public static final String METER_DEFINITIONS = "meter-definitions";

    private StoreNames() {
    }

    /** The windowed totals of one window size ({@code aggregates-minute}, ...). */
    public static String aggregates(final WindowSize size) {
        return "aggregates-" + size.name().toLowerCase(Locale.ROOT);
    }

    /** Every store with a changelog (the global definitions store has none). */
    public static List<String> all() {
        final java.util.ArrayList<String> all = new java.util.ArrayList<>(List.of(DEDUPE_COLD, PARTITION_SEQUENCE,
                ROLLUP, METER_STATES, METER_BOUNDARIES));
        for (final WindowSize size : WindowSize.values()) {
            all.add(aggregates(size));
        }
        return List.copyOf(all);
    }

    /** The changelog topic Kafka Streams keeps for a store of the application. */
    public static String changelog(final String applicationId, final String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
