package dev.meterstream.schema;

/**
 * The names of the view tables in Cassandra, in one place beside the versioned CQL that creates them
 * ({@code dev/meterstream/schema/V*.cql}): the sink writes them, query-api and the load runs' exactness check read
 * them. A table renamed in a migration is renamed here, and every writer and reader follows.
 */
public final class Views {
    /** A subject's events of one UTC day, in event-time order. */
    public static final String EVENTS_BY_SUBJECT_DAY = "events_by_subject_day";
    /** One event by (tenant, client id). */
    public static final String EVENTS_BY_ID = "events_by_id";
    /** One subject's series of one window size, in buckets of windows. */
    public static final String AGGREGATES_BY_SUBJECT = "aggregates_by_subject";
    /** The shard rollups: all subjects of a meter, per raw partition. */
    public static final String AGGREGATES_BY_SHARD = "aggregates_by_shard";
    /** The subjects of one hour or day window, ordered by sum. */
    public static final String TOP_SUBJECTS = "top_subjects";
    /** The meters a tenant has data for. */
    public static final String METERS_BY_TENANT = "meters_by_tenant";
    /** How fresh the views are (one row per view). */
    public static final String VIEW_PROGRESS = "view_progress";

    private Views() {
    }
}
