package dev.meterstream.event;

/** Every Kafka topic of the system, in one place (see docs/architecture.md for who writes and reads each). */
public final class Topics {
    /** Every event the edge accepted, duplicates included; key {@link EventKey}, value {@link UsageEventBytes}. */
    public static final String RAW = "usage.raw";
    /** The canonical event log: each distinct event once, with its partition-scoped ID ({@link UsageEventBytes}). */
    public static final String EVENTS = "usage.events";
    /** Absolute window totals per tenant/meter/subject/window. */
    public static final String AGGREGATES = "usage.aggregates";
    /**
     * Records the processor or the sink could not take: the original key and value, with the headers
     * {@link #DEAD_LETTER_REASON} and {@link #DEAD_LETTER_SOURCE}.
     */
    public static final String DEAD_LETTERS = "usage.dead-letters";
    /**
     * Every tenant's meter definitions (issue 17): key {@code tenant/slug}, value the versioned record
     * ({@code dev.meterstream.meter.StoredMeterJson}); compacted, so it holds each meter's last record. query-api
     * writes it; query-api and the processor read all of it.
     */
    public static final String METER_DEFINITIONS = "meter.definitions";
    /**
     * API keys (support's KeyRing): one compacted record per key id, its SHA-256 digest, tenant, scope, expiry and
     * revocation; every ingest-api and query-api instance reads it from its start.
     */
    public static final String API_KEYS = "auth.keys";
    /**
     * The backfilled states of defined meters (per shard), their distinct values and the backfills' progress:
     * absolute values, so compacted ({@link dev.meterstream.meter.MeterRecordKey}). Live states are in
     * {@link #liveMeterStates}.
     */
    public static final String METER_AGGREGATES = "meter.aggregates";
    /**
     * Where live counting of each meter version began on each shard (what its backfill stops at) and, once it is no
     * longer in force, where it ended (what a reader folding a subject's events stops at).
     */
    public static final String METER_BOUNDARIES = "meter.boundaries";
    /**
     * The transactional id every query-api instance writes {@link #METER_DEFINITIONS} with, so that a newer writer
     * fences every earlier one; here beside the topic because a secure cluster grants it by name.
     */
    public static final String METER_DEFINITIONS_WRITER = "meterstream-meter-definitions";
    /** Header of a dead letter: why it could not be taken, in words. */
    public static final String DEAD_LETTER_REASON = "dead-letter.reason";
    /** Header of a dead letter: where it was read, as {@code topic/partition/offset}. */
    public static final String DEAD_LETTER_SOURCE = "dead-letter.source";

    /** The value of {@link #DEAD_LETTER_SOURCE} for a record read at this position. */
    public static String deadLetterSource(final String topic, final int partition, final long offset) {
        return topic + "/" + partition + "/" + offset;
    }
    /** The name stream-processor gives the grouping that repartitions events by series. */
    public static final String BY_SERIES = "aggregate-by-series";

    /**
     * The repartition topic (events regrouped by tenant/meter/subject) that Kafka Streams makes for a processor
     * with this application id; what anything waiting for the processor to catch up must watch besides
     * {@link #RAW}.
     */
    public static String bySeriesRepartition(final String applicationId) {
        return applicationId + "-" + BY_SERIES + "-repartition";
    }

    /**
     * Defined meters' live states and distinct values per shard: the changelog of the processor's store of them,
     * read by the sink as it reads {@link #METER_AGGREGATES} (same keys and values; a null value is the store
     * forgetting an expired window, not a change to the views). The changelog is the output because a separate
     * output topic held the same record for every changelog record: one Kafka write per state change, not two.
     */
    public static String liveMeterStates(final String applicationId) {
        return StoreNames.changelog(applicationId, StoreNames.METER_STATES);
    }

    private Topics() {
    }
}
