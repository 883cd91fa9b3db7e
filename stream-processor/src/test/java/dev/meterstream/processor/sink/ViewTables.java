package dev.meterstream.processor.sink;

import static dev.meterstream.schema.Views.Column.BUCKET;
import static dev.meterstream.schema.Views.Column.COUNT;
import static dev.meterstream.schema.Views.Column.DAY;
import static dev.meterstream.schema.Views.Column.EVENT;
import static dev.meterstream.schema.Views.Column.EVENT_ID;
import static dev.meterstream.schema.Views.Column.EVENT_TIME;
import static dev.meterstream.schema.Views.Column.MAX;
import static dev.meterstream.schema.Views.Column.METER;
import static dev.meterstream.schema.Views.Column.MONTH;
import static dev.meterstream.schema.Views.Column.MIN;
import static dev.meterstream.schema.Views.Column.RANK;
import static dev.meterstream.schema.Views.Column.SHARD;
import static dev.meterstream.schema.Views.Column.SUBJECT;
import static dev.meterstream.schema.Views.Column.SUM;
import static dev.meterstream.schema.Views.Column.TENANT;
import static dev.meterstream.schema.Views.Column.WINDOW_SIZE;
import static dev.meterstream.schema.Views.Column.WINDOW_START;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.SumRank;
import dev.meterstream.schema.Views;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The view tables as sorted text rows: read from a keyspace, or computed directly from the distinct input events,
 * in the same form, so a test compares whole tables with one assertion per table.
 */
final class ViewTables {
    /** The tables the sink writes, each with the columns compared (everything but the write time of progress). */
    private static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put(Views.EVENTS_BY_SUBJECT_DAY.name(), List.of(TENANT, SUBJECT, DAY, EVENT_TIME, EVENT_ID, EVENT));
        COLUMNS.put(Views.AGGREGATES_BY_SUBJECT_MONTH.name(), List.of(TENANT, METER, SUBJECT, MONTH, WINDOW_SIZE,
                WINDOW_START, COUNT, SUM, MIN, MAX));
        COLUMNS.put(Views.TOP_SUBJECTS.name(), List.of(TENANT, METER, WINDOW_SIZE, WINDOW_START, RANK, SUBJECT,
                COUNT));
        COLUMNS.put(Views.METERS_BY_TENANT.name(), List.of(TENANT, METER));
        COLUMNS.put(Views.AGGREGATES_BY_SHARD.name(), List.of(TENANT, METER, WINDOW_SIZE, BUCKET, WINDOW_START, SHARD,
                COUNT, SUM, MIN, MAX));
    }

    /** The lower rows of a subject in a window of top_subjects_by_rank, which readers skip. */
    static final String LEFT_BEHIND = "top_subjects_by_rank (older rows left behind)";

    private ViewTables() {
    }

    /** The tables without the rows left behind in top_subjects_by_rank: for runs where the sink may lose its memory. */
    static Map<String, Set<String>> readerView(final Map<String, Set<String>> tables) {
        final Map<String, Set<String>> view = new TreeMap<>(tables);
        view.remove(LEFT_BEHIND);
        return view;
    }

    /** Every row of every view table in the keyspace. */
    static Map<String, Set<String>> read(final CqlSession session, final String keyspace) {
        final Map<String, Set<String>> tables = new TreeMap<>();
        COLUMNS.forEach((table, columns) -> {
            final Set<String> rows = new TreeSet<>();
            for (final Row row : session.execute("SELECT " + String.join(", ", columns) + " FROM " + keyspace + "."
                    + table)) {
                final List<Object> values = new ArrayList<>();
                for (final ColumnDefinition column : row.getColumnDefinitions()) {
                    values.add(row.getObject(column.getName()));
                }
                rows.add(render(values));
            }
            tables.put(table, rows);
        });
        // As a reader sees the ranking: a subject once per window, at its highest row. Lower rows the sink may leave
        // behind after losing its memory of them (RankedRows) are listed apart, so a test can require there are none.
        final Map<String, String> highest = new TreeMap<>();
        final Set<String> leftBehind = new TreeSet<>();
        for (final Row row : session.execute("SELECT " + String.join(", ", COLUMNS.get(Views.TOP_SUBJECTS.name()))
                + " FROM " + keyspace + "." + Views.TOP_SUBJECTS.name())) {
            final String key = render(List.of(row.getString(TENANT), row.getString(METER), row.getString(WINDOW_SIZE),
                    row.getInstant(WINDOW_START), row.getString(SUBJECT)));
            final List<Object> values = new ArrayList<>();
            for (final ColumnDefinition column : row.getColumnDefinitions()) {
                values.add(row.getObject(column.getName()));
            }
            // Rows come highest sum first within a window, so the first one met per subject is the highest.
            if (highest.putIfAbsent(key, render(values)) != null) {
                leftBehind.add(render(values));
            }
        }
        tables.put(Views.TOP_SUBJECTS.name(), new TreeSet<>(highest.values()));
        tables.put(LEFT_BEHIND, leftBehind);
        return tables;
    }

    /** The tables as they must be for these distinct events (the log IDs are those the log assigned). */
    static Map<String, Set<String>> expected(final Collection<UsageEvent> distinct,
                                             final Map<String, long[]> logIds) {
        final Map<String, Set<String>> tables = new TreeMap<>();
        COLUMNS.keySet().forEach(table -> tables.put(table, new TreeSet<>()));
        tables.put(LEFT_BEHIND, new TreeSet<>());
        final Map<String, WindowAggregate> aggregates = new TreeMap<>();
        final Map<String, WindowAggregate> rollups = new TreeMap<>();
        for (final UsageEvent event : distinct) {
            final long[] id = logIds.get(event.key());
            // Cassandra timestamps are milliseconds; the exact event time is in the log's record.
            final Instant millis = event.timestamp().truncatedTo(ChronoUnit.MILLIS);
            final SequencedEvent logged = new SequencedEvent(event, (int) id[0], id[1]);
            tables.get(Views.EVENTS_BY_SUBJECT_DAY.name()).add(render(List.of(event.tenant(), event.subject(),
                    SeriesBucket.day(event.timestamp()), millis, event.id(), logged)));
            tables.get(Views.METERS_BY_TENANT.name()).add(render(List.of(event.tenant(), event.meter())));
            for (final WindowSize size : WindowSize.values()) {
                final WindowAggregate one = WindowAggregate.of(event, size);
                aggregates.merge(one.key(), one, (total, ignored) -> total.add(event));
                final WindowAggregate shard = WindowAggregate.rollupOf(event, size, (int) id[0]);
                rollups.merge(shard.key(), shard, (total, ignored) -> total.add(event));
            }
        }
        for (final WindowAggregate rollup : rollups.values()) {
            tables.get(Views.AGGREGATES_BY_SHARD.name()).add(render(List.of(rollup.tenant(), rollup.meter(), rollup.size().name(),
                    SeriesBucket.of(rollup.size(), rollup.windowStart()), rollup.windowStart(), rollup.rollupShard(),
                    rollup.count(), rollup.sum(), rollup.min(), rollup.max())));
        }
        for (final WindowAggregate aggregate : aggregates.values()) {
            final boolean ranked = ViewWriter.ranked(aggregate.size());
            final List<Object> row = new ArrayList<>(List.of(aggregate.tenant(), aggregate.meter(),
                    aggregate.subject(), SeriesBucket.month(aggregate.windowStart()), aggregate.size().name(),
                    aggregate.windowStart(), aggregate.count(), aggregate.sum(), aggregate.min(), aggregate.max()));
            tables.get(Views.AGGREGATES_BY_SUBJECT_MONTH.name()).add(render(row));
            if (ranked) {
                tables.get(Views.TOP_SUBJECTS.name()).add(render(List.of(aggregate.tenant(), aggregate.meter(),
                        aggregate.size().name(), aggregate.windowStart(), SumRank.of(aggregate.sum()),
                        aggregate.subject(), aggregate.count())));
            }
        }
        return tables;
    }

    private static String render(final List<Object> values) {
        final StringBuilder text = new StringBuilder();
        for (final Object value : values) {
            text.append(text.isEmpty() ? "" : " | ").append(render(value));
        }
        return text.toString();
    }

    private static String render(final Object value) {
        // The event tables' blob, decoded so that a difference reads as the event's values.
        if (value instanceof ByteBuffer blob) {
            return render(UsageEventBytes.readSequenced(blob));
        }
        if (value instanceof SequencedEvent logged) {
            final UsageEvent event = logged.event();
            return render(List.of(event.tenant(), event.id(), event.subject(), event.meter(), event.quantity(),
                    event.timestamp(), event.properties(), event.receivedAt(), logged.partition(),
                    logged.sequence()));
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Set<?> set) {
            return set.stream().map(ViewTables::render).sorted().toList().toString();
        }
        if (value instanceof Map<?, ?> map) {
            return new TreeMap<>(map).toString();
        }
        return String.valueOf(value);
    }
}
