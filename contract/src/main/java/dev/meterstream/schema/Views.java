package dev.meterstream.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The view tables in Cassandra, their columns and keys, in one place beside the versioned CQL that creates them
 * ({@code dev/meterstream/schema/V*.cql}): the sink writes them, query-api and the load runs' exactness check read
 * them, and every statement is built from the names here. A column renamed in a migration is renamed here, and
 * every writer and reader follows; a test compares these tables with what the migrations create.
 */
public final class Views {
    /** Column names, one spelling each; a name means the same thing in every table that has it. */
    public static final class Column {
        public static final String TENANT = "tenant";
        public static final String SUBJECT = "subject";
        public static final String METER = "meter";
        public static final String EVENT_ID = "event_id";
        /** The UTC day of the event time (a date). */
        public static final String DAY = "day";
        /** Event time to the millisecond (Cassandra's timestamp): the event tables' clustering. */
        public static final String EVENT_TIME = "event_time";
        /**
         * The event as the canonical log's record holds it: {@code UsageEventBytes.write(SequencedEvent)}, the
         * event with its partition and sequence (V010; a column per value before it).
         */
        public static final String EVENT = "event";
        /** {@code MINUTE}, {@code HOUR} or {@code DAY}. */
        public static final String WINDOW_SIZE = "window_size";
        /** The partition bucket of a shard rollup ({@link SeriesBucket#of}). */
        public static final String BUCKET = "bucket";
        /** The UTC month of a subject's series partition, as its first day (a date; {@link SeriesBucket#month}). */
        public static final String MONTH = "month";
        public static final String WINDOW_START = "window_start";
        /** The raw partition a shard rollup covers. */
        public static final String SHARD = "shard";
        public static final String COUNT = "count";
        public static final String SUM = "sum";
        /** A sum as the top lists order it: in units of 10^-18, a varint ({@link SumRank}; V009). */
        public static final String RANK = "rank";
        /** Exact decimal minimum and maximum (V004). */
        public static final String MIN = "min_exact";
        public static final String MAX = "max_exact";
        public static final String VIEW_NAME = "view_name";
        public static final String COMPLETE_THROUGH = "complete_through";
        public static final String UPDATED_AT = "updated_at";
        /** A defined meter's slug and version (V006). */
        public static final String SLUG = "slug";
        public static final String VERSION = "version";
        /** A defined meter's group: a compact JSON object of dimension to value (or null), in definition order. */
        public static final String GROUPS = "groups";
        /** {@code LIVE} or {@code BACKFILL} ({@code dev.meterstream.meter.MeterSource}). */
        public static final String SOURCE = "source";
        /** A state's number: SUM and AVG's sum, MIN and MAX's extreme, LATEST's value. */
        public static final String NUMBER = "number";
        /** LATEST: the time (to the millisecond, the rest in {@link #LATEST_NANOS}) and log id of its event. */
        public static final String LATEST_TIME = "latest_time";
        public static final String LATEST_NANOS = "latest_nanos";
        public static final String LATEST_LOG_ID = "latest_log_id";
        /** A distinct value of a UNIQUE_COUNT meter. */
        public static final String VALUE = "value";
        /** A backfill's boundary on a shard, and how far below it it has folded. */
        public static final String BOUNDARY = "boundary";
        public static final String THROUGH = "through";
        /** Where live counting of a meter version ended on a shard, once no longer in force (V007). */
        public static final String END_BOUNDARY = "end_boundary";

        /** Every live state of a type's defined meters in one window and shard (V008; MeterTypeStates' bytes). */
        public static final String STATES = "states";

        private Column() {
        }
    }

    /** An event's columns besides its keys, as both event tables hold them. */
    public static final List<String> EVENT_VALUES = List.of(Column.EVENT);
    /** A window's totals, as the aggregate tables hold them. */
    public static final List<String> TOTALS = List.of(Column.COUNT, Column.SUM, Column.MIN, Column.MAX);

    /**
     * A view table.
     *
     * @param name         the table's name
     * @param partitionKey the partition key's columns
     * @param clustering   the clustering columns, in order
     * @param values       every other column
     */
    public record Table(String name, List<String> partitionKey, List<String> clustering, List<String> values) {
        public Table {
            partitionKey = List.copyOf(partitionKey);
            clustering = List.copyOf(clustering);
            values = List.copyOf(values);
        }

        /** The primary key: partition key, then clustering columns. */
        public List<String> primaryKey() {
            final List<String> key = new ArrayList<>(partitionKey);
            key.addAll(clustering);
            return key;
        }

        /** Every column, primary key first. */
        public List<String> columns() {
            final List<String> all = primaryKey();
            all.addAll(values);
            return all;
        }

        /** {@code keyspace.name}. */
        public String in(final String keyspace) {
            return keyspace + "." + name;
        }

        /** {@code INSERT INTO keyspace.name (a, b) VALUES (?, ?)}. */
        public String insert(final String keyspace, final List<String> columns) {
            return "INSERT INTO " + in(keyspace) + " (" + String.join(", ", columns) + ") VALUES ("
                    + columns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")";
        }

        /** {@code UPDATE keyspace.name SET a = ?, b = ? WHERE <the primary key>}. */
        public String update(final String keyspace, final List<String> set) {
            return "UPDATE " + in(keyspace) + " SET " + set.stream().map(column -> column + " = ?")
                    .collect(Collectors.joining(", ")) + " WHERE " + equal(primaryKey());
        }

        /** {@code DELETE FROM keyspace.name WHERE <the primary key>}: one row. */
        public String delete(final String keyspace) {
            return "DELETE FROM " + in(keyspace) + " WHERE " + equal(primaryKey());
        }

        /** {@code SELECT a, b FROM keyspace.name} (the caller adds its WHERE). */
        public String select(final String keyspace, final List<String> columns) {
            return "SELECT " + String.join(", ", columns) + " FROM " + in(keyspace);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A Storage-Attached Index on one column of a view table, so that the table is read by that column without a
     * table of its own.
     *
     * @param name   the index's name
     * @param table  the table it indexes
     * @param column the indexed column
     */
    public record Index(String name, Table table, String column) {
        /**
         * {@code SELECT a, b FROM keyspace.table WHERE column = ? AND <also> = ? ALLOW FILTERING}: the index finds
         * the rows, and the other restrictions (parts of the partition key, say) are checked on the rows it found.
         */
        public String select(final String keyspace, final List<String> columns, final List<String> also) {
            final List<String> restricted = new ArrayList<>(List.of(column));
            restricted.addAll(also);
            return table.select(keyspace, columns) + " WHERE " + equal(restricted)
                    + (also.isEmpty() ? "" : " ALLOW FILTERING");
        }
    }

    /** {@code a = ? AND b = ?}. */
    public static String equal(final List<String> columns) {
        return columns.stream().map(column -> column + " = ?").collect(Collectors.joining(" AND "));
    }

    /** A subject's events of one UTC day, in event-time order. */
    public static final Table EVENTS_BY_SUBJECT_DAY = new Table("events_by_subject_day",
            List.of(Column.TENANT, Column.SUBJECT, Column.DAY), List.of(Column.EVENT_TIME, Column.EVENT_ID),
            EVENT_VALUES);
    /**
     * One event by (tenant, client id): {@link #EVENTS_BY_SUBJECT_DAY} through an index on its id (V011), in place of
     * a table with a row of its own per event (V002-V010): that row was a partition update of its own, a third of
     * Cassandra's per event (docs/benchmarks.md, "Session 31"). The index reads every replica set's rows with the id,
     * keeping the tenant's; an id counted again after the lateness horizon has a row per copy.
     */
    public static final Index EVENTS_BY_ID = new Index("events_by_subject_day_event_id", EVENTS_BY_SUBJECT_DAY,
            Column.EVENT_ID);
    /** One subject's series, a partition per UTC month holding every window size (V005). */
    public static final Table AGGREGATES_BY_SUBJECT_MONTH = new Table("aggregates_by_subject_month",
            List.of(Column.TENANT, Column.METER, Column.SUBJECT, Column.MONTH),
            List.of(Column.WINDOW_SIZE, Column.WINDOW_START), TOTALS);
    /** The shard rollups: all subjects of a meter, per raw partition. */
    public static final Table AGGREGATES_BY_SHARD = new Table("aggregates_by_shard",
            List.of(Column.TENANT, Column.METER, Column.WINDOW_SIZE, Column.BUCKET),
            List.of(Column.WINDOW_START, Column.SHARD), TOTALS);
    /** The subjects of one hour or day window, ordered by sum (highest first; the rank, V009). */
    public static final Table TOP_SUBJECTS = new Table("top_subjects_by_rank",
            List.of(Column.TENANT, Column.METER, Column.WINDOW_SIZE, Column.WINDOW_START),
            List.of(Column.RANK, Column.SUBJECT), List.of(Column.COUNT));
    /** The meters a tenant has data for. */
    public static final Table METERS_BY_TENANT = new Table("meters_by_tenant",
            List.of(Column.TENANT), List.of(Column.METER), List.of());
    /** How fresh the views are (one row per view). */
    public static final Table VIEW_PROGRESS = new Table("view_progress",
            List.of(Column.VIEW_NAME), List.of(), List.of(Column.COMPLETE_THROUGH, Column.UPDATED_AT));

    /** Subject value of a defined meter's rows over all subjects (a subject is never empty). */
    public static final String ALL_SUBJECTS = "";
    /** A defined meter's states per shard and source (V006). */
    public static final Table METER_STATES = new Table("meter_states",
            List.of(Column.TENANT, Column.SLUG, Column.VERSION, Column.SUBJECT, Column.MONTH),
            List.of(Column.WINDOW_SIZE, Column.WINDOW_START, Column.GROUPS, Column.SHARD, Column.SOURCE),
            List.of(Column.COUNT, Column.NUMBER, Column.LATEST_TIME, Column.LATEST_NANOS, Column.LATEST_LOG_ID));
    /**
     * The live states of a tenant's event type's defined meters per window and shard, every meter version and
     * group in one blob (V008), partitioned as {@link #AGGREGATES_BY_SHARD} is ({@link SeriesBucket#of}).
     */
    public static final Table METER_TYPE_STATES = new Table("meter_type_states",
            List.of(Column.TENANT, Column.METER, Column.SUBJECT, Column.WINDOW_SIZE, Column.BUCKET),
            List.of(Column.WINDOW_START, Column.SHARD), List.of(Column.STATES));
    /** The distinct values of a UNIQUE_COUNT meter's windows (V006). */
    public static final Table METER_DISTINCT_VALUES = new Table("meter_distinct_values",
            List.of(Column.TENANT, Column.SLUG, Column.VERSION, Column.SUBJECT, Column.MONTH),
            List.of(Column.WINDOW_SIZE, Column.WINDOW_START, Column.GROUPS, Column.VALUE), List.of());
    /** Each meter version's boundary, backfill progress (V006) and end (V007) per shard. */
    public static final Table METER_BACKFILL = new Table("meter_backfill",
            List.of(Column.TENANT, Column.SLUG, Column.VERSION), List.of(Column.SHARD),
            List.of(Column.BOUNDARY, Column.THROUGH, Column.END_BOUNDARY));

    /** Every index on the view tables. */
    public static final List<Index> INDEXES = List.of(EVENTS_BY_ID);

    /** The row of {@link #VIEW_PROGRESS} that says how complete the usage views are. */
    public static final String USAGE_PROGRESS = "usage";

    /** Reads the instant the usage views are complete through (one row, one column; none before the first). */
    public static String completeThroughQuery(final String keyspace) {
        return VIEW_PROGRESS.select(keyspace, List.of(Column.COMPLETE_THROUGH)) + " WHERE " + Column.VIEW_NAME
                + " = '" + USAGE_PROGRESS + "'";
    }

    /** Every view table. */
    public static final List<Table> ALL = List.of(EVENTS_BY_SUBJECT_DAY, AGGREGATES_BY_SUBJECT_MONTH,
            AGGREGATES_BY_SHARD, TOP_SUBJECTS, METERS_BY_TENANT, VIEW_PROGRESS, METER_STATES, METER_DISTINCT_VALUES,
            METER_BACKFILL, METER_TYPE_STATES);

    private Views() {
    }
}
