package dev.meterstream.loadtest.run;

import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.TableSizes;
import dev.meterstream.schema.Views;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a run's events take in Cassandra's tables, per million events accepted: read once the views are complete,
 * after a flush (compressed, as stored, before compaction merges anything; one replica).
 */
final class TableStorage {
    /** The tables whose size grows with the events (the progress and definition tables do not). */
    static final List<Views.Table> TABLES = List.of(Views.EVENTS_BY_SUBJECT_DAY,
            Views.AGGREGATES_BY_SUBJECT_MONTH, Views.AGGREGATES_BY_SHARD, Views.TOP_SUBJECTS, Views.METER_STATES,
            Views.METER_TYPE_STATES, Views.METER_DISTINCT_VALUES);

    private TableStorage() {
    }

    /** One line for the report: each table's bytes per million events, and the total. */
    static String read(final CassandraNode cassandra, final String keyspace, final long eventsAccepted) {
        final Map<String, Long> sizes = TableSizes.flushAndRead(cassandra, keyspace,
                TABLES.stream().map(Views.Table::name).toList());
        final StringJoiner line = new StringJoiner(", ", "storage in Cassandra per million events accepted (after a "
                + "flush, " + eventsAccepted + " events): ", "");
        long total = 0;
        for (final Map.Entry<String, Long> size : sizes.entrySet()) {
            line.add(size.getKey() + " " + megabytes(size.getValue(), eventsAccepted));
            total += size.getValue();
        }
        return line.add("total " + megabytes(total, eventsAccepted)).toString();
    }

    private static String megabytes(final long bytes, final long events) {
        return events == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes * 1e6 / events / 1e6);
    }
}
