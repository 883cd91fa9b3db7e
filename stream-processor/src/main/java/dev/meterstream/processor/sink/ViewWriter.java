package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one flush of gathered records into the view tables: prepared statements, sent asynchronously, grouped
 * into UNLOGGED batches only where the rows share a partition. Every write is an upsert of absolute values keyed
 * by identity, so writing the same records again (a replay, a retried flush) changes nothing.
 *
 * <p>{@code top_subjects} is ordered by sum, so a new sum is a new row and the old one must go. The sums a series
 * row may have left there are first recorded in its {@code top_sums}, then the top rows are changed, then
 * {@code top_sums} is cut back to the current sum: a crash at any point leaves the record of every row to delete,
 * and the replay deletes them.
 */
final class ViewWriter {
    private static final String SERIES_KEY =
            " WHERE tenant = ? AND meter = ? AND subject = ? AND window_size = ? AND bucket = ? AND window_start = ?";

    private final CassandraRequests requests;
    private final int batchRows;
    private final PreparedStatement insertEventBySubject;
    private final PreparedStatement insertEventById;
    private final PreparedStatement insertMeter;
    private final PreparedStatement upsertAggregate;
    private final PreparedStatement upsertShard;
    private final PreparedStatement upsertRankedAggregate;
    private final PreparedStatement readTopSums;
    private final PreparedStatement setTopSums;
    private final PreparedStatement insertTop;
    private final PreparedStatement deleteTop;

    ViewWriter(final CqlSession session, final String keyspace, final CassandraRequests requests,
               final int batchRows) {
        this.requests = requests;
        this.batchRows = batchRows;
        final String eventColumns = "event_time, event_nanos, meter, quantity_exact, properties, received_at, "
                + "log_partition, log_sequence";
        insertEventBySubject = session.prepare("INSERT INTO " + keyspace + "." + Views.EVENTS_BY_SUBJECT_DAY
                + " (tenant, subject, day, event_id, " + eventColumns
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertEventById = session.prepare("INSERT INTO " + keyspace + "." + Views.EVENTS_BY_ID
                + " (tenant, event_id, subject, " + eventColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertMeter = session.prepare("INSERT INTO " + keyspace + "." + Views.METERS_BY_TENANT
                + " (tenant, meter) VALUES (?, ?)");
        upsertAggregate = session.prepare("UPDATE " + keyspace + "." + Views.AGGREGATES_BY_SUBJECT
                + " SET count = ?, sum = ?, min_exact = ?, max_exact = ?" + SERIES_KEY);
        upsertShard = session.prepare("UPDATE " + keyspace + "." + Views.AGGREGATES_BY_SHARD
                + " SET count = ?, sum = ?, min_exact = ?, max_exact = ?"
                + " WHERE tenant = ? AND meter = ? AND window_size = ? AND bucket = ? AND window_start = ? AND shard = ?");
        upsertRankedAggregate = session.prepare("UPDATE " + keyspace + "." + Views.AGGREGATES_BY_SUBJECT
                + " SET count = ?, sum = ?, min_exact = ?, max_exact = ?, top_sums = ?" + SERIES_KEY);
        readTopSums = session.prepare("SELECT top_sums FROM " + keyspace + "." + Views.AGGREGATES_BY_SUBJECT
                + SERIES_KEY);
        setTopSums = session.prepare("UPDATE " + keyspace + "." + Views.AGGREGATES_BY_SUBJECT + " SET top_sums = ?"
                + SERIES_KEY);
        insertTop = session.prepare("INSERT INTO " + keyspace + "." + Views.TOP_SUBJECTS
                + " (tenant, meter, window_size, window_start, sum, subject, count) VALUES (?, ?, ?, ?, ?, ?, ?)");
        deleteTop = session.prepare("DELETE FROM " + keyspace + "." + Views.TOP_SUBJECTS
                + " WHERE tenant = ? AND meter = ? AND window_size = ? AND window_start = ? AND sum = ? AND subject = ?");
    }

    /** Whether a window size is ranked in {@code top_subjects} (minutes are not: too many windows to rank). */
    static boolean ranked(final WindowSize size) {
        return size != WindowSize.MINUTE;
    }

    /** Writes everything gathered; returns when all of it is written, or throws once a write was given up. */
    void write(final SinkBuffer buffer) {
        final List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        writeEvents(buffer.events(), writes);
        final List<WindowAggregate> ranked = new ArrayList<>();
        final Set<List<String>> meters = new LinkedHashSet<>();
        final Map<List<Object>, List<BoundStatement>> byPartition = new LinkedHashMap<>();
        final Map<List<Object>, List<BoundStatement>> shardsByPartition = new LinkedHashMap<>();
        for (final WindowAggregate aggregate : buffer.aggregates()) {
            if (aggregate.isRollup()) {
                final Instant bucket = SeriesBucket.of(aggregate.size(), aggregate.windowStart());
                shardsByPartition.computeIfAbsent(List.of(aggregate.tenant(), aggregate.meter(), aggregate.size(),
                        bucket), key -> new ArrayList<>()).add(upsertShard.bind(aggregate.count(), sum(aggregate),
                        aggregate.min(), aggregate.max(), aggregate.tenant(), aggregate.meter(),
                        aggregate.size().name(), bucket, aggregate.windowStart(), aggregate.rollupShard()));
                continue;
            }
            meters.add(List.of(aggregate.tenant(), aggregate.meter()));
            if (ranked(aggregate.size())) {
                ranked.add(aggregate);
            } else {
                final Instant bucket = SeriesBucket.of(aggregate.size(), aggregate.windowStart());
                byPartition.computeIfAbsent(List.of(aggregate.tenant(), aggregate.meter(), aggregate.subject(),
                        aggregate.size(), bucket), key -> new ArrayList<>()).add(upsertAggregate.bind(
                        aggregate.count(), sum(aggregate), aggregate.min(), aggregate.max(),
                        aggregate.tenant(), aggregate.meter(), aggregate.subject(), aggregate.size().name(),
                        bucket, aggregate.windowStart()));
            }
        }
        sendBatched(byPartition, Views.AGGREGATES_BY_SUBJECT, writes);
        sendBatched(shardsByPartition, Views.AGGREGATES_BY_SHARD, writes);
        for (final List<String> meter : meters) {
            writes.add(requests.send(insertMeter.bind(meter.get(0), meter.get(1)), Views.METERS_BY_TENANT, 1));
        }
        writeRanked(ranked, writes);
        CassandraRequests.awaitAll(writes);
    }

    private void writeEvents(final List<SequencedEvent> events, final List<CompletableFuture<AsyncResultSet>> writes) {
        final Map<List<Object>, List<BoundStatement>> bySubjectDay = new LinkedHashMap<>();
        for (final SequencedEvent sequenced : events) {
            final UsageEvent event = sequenced.event();
            final Instant millis = event.timestamp().truncatedTo(ChronoUnit.MILLIS);
            final int nanos = event.timestamp().getNano() % 1_000_000;
            final java.time.LocalDate day = SeriesBucket.day(event.timestamp());
            bySubjectDay.computeIfAbsent(List.of(event.tenant(), event.subject(), day), key -> new ArrayList<>())
                    .add(insertEventBySubject.bind(event.tenant(), event.subject(), day, event.id(), millis, nanos,
                            event.meter(), event.quantity(), event.properties(), event.receivedAt(),
                            sequenced.partition(), sequenced.sequence()));
            writes.add(requests.send(insertEventById.bind(event.tenant(), event.id(), event.subject(), millis, nanos,
                    event.meter(), event.quantity(), event.properties(), event.receivedAt(), sequenced.partition(),
                    sequenced.sequence()), Views.EVENTS_BY_ID, 1));
        }
        sendBatched(bySubjectDay, Views.EVENTS_BY_SUBJECT_DAY, writes);
    }

    /**
     * Hour and day aggregates, with their rank in {@code top_subjects}: read the sums a row may have left there,
     * record the new one beside them, replace the top rows, then cut the record back to the new sum.
     */
    private void writeRanked(final List<WindowAggregate> ranked,
                             final List<CompletableFuture<AsyncResultSet>> writes) {
        if (ranked.isEmpty()) {
            return;
        }
        final List<CompletableFuture<AsyncResultSet>> reads = new ArrayList<>(ranked.size());
        for (final WindowAggregate aggregate : ranked) {
            reads.add(requests.send(readTopSums.bind(seriesKey(aggregate)), Views.AGGREGATES_BY_SUBJECT + "(read)", 1));
        }
        final List<AsyncResultSet> found = CassandraRequests.awaitAll(reads);

        final List<CompletableFuture<AsyncResultSet>> recorded = new ArrayList<>(ranked.size());
        final List<Set<BigDecimal>> leftBehind = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            final WindowAggregate aggregate = ranked.get(i);
            final Row row = found.get(i).one();
            final Set<BigDecimal> previous = new LinkedHashSet<>();
            if (row != null && !row.isNull(0)) {
                row.getSet(0, BigDecimal.class).forEach(sum -> previous.add(sum.stripTrailingZeros()));
            }
            final BigDecimal sum = sum(aggregate);
            final Set<BigDecimal> record = new LinkedHashSet<>(previous);
            record.add(sum);
            previous.remove(sum);
            leftBehind.add(previous);
            final Object[] key = seriesKey(aggregate);
            final Object[] values = new Object[5 + key.length];
            values[0] = aggregate.count();
            values[1] = sum;
            values[2] = aggregate.min();
            values[3] = aggregate.max();
            values[4] = record;
            System.arraycopy(key, 0, values, 5, key.length);
            recorded.add(requests.send(upsertRankedAggregate.bind(values), Views.AGGREGATES_BY_SUBJECT, 1));
        }
        CassandraRequests.awaitAll(recorded);

        final Map<List<Object>, List<BoundStatement>> byWindow = new LinkedHashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            final WindowAggregate aggregate = ranked.get(i);
            final List<BoundStatement> window = byWindow.computeIfAbsent(List.of(aggregate.tenant(),
                    aggregate.meter(), aggregate.size(), aggregate.windowStart()), key -> new ArrayList<>());
            for (final BigDecimal old : leftBehind.get(i)) {
                window.add(deleteTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                        aggregate.windowStart(), old, aggregate.subject()));
            }
            window.add(insertTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                    aggregate.windowStart(), sum(aggregate), aggregate.subject(), aggregate.count()));
        }
        final List<CompletableFuture<AsyncResultSet>> ranks = new ArrayList<>();
        sendBatched(byWindow, Views.TOP_SUBJECTS, ranks);
        CassandraRequests.awaitAll(ranks);

        for (int i = 0; i < ranked.size(); i++) {
            if (!leftBehind.get(i).isEmpty()) {
                final WindowAggregate aggregate = ranked.get(i);
                final Object[] key = seriesKey(aggregate);
                final Object[] values = new Object[1 + key.length];
                values[0] = Set.of(sum(aggregate));
                System.arraycopy(key, 0, values, 1, key.length);
                writes.add(requests.send(setTopSums.bind(values), Views.AGGREGATES_BY_SUBJECT, 1));
            }
        }
    }

    /** Sends each partition's statements as UNLOGGED batches of at most batchRows (a single row unbatched). */
    private void sendBatched(final Map<List<Object>, List<BoundStatement>> byPartition, final String table,
                             final List<CompletableFuture<AsyncResultSet>> writes) {
        for (final Collection<BoundStatement> statements : byPartition.values()) {
            final List<BoundStatement> rows = new ArrayList<>(statements);
            for (int from = 0; from < rows.size(); from += batchRows) {
                final List<BoundStatement> chunk = rows.subList(from, Math.min(rows.size(), from + batchRows));
                if (chunk.size() == 1) {
                    writes.add(requests.send(chunk.getFirst(), table, 1));
                } else {
                    writes.add(requests.send(BatchStatement.newInstance(BatchType.UNLOGGED)
                            .addAll(List.copyOf(chunk)), table, chunk.size()));
                }
            }
        }
    }

    private static Object[] seriesKey(final WindowAggregate aggregate) {
        return new Object[] {aggregate.tenant(), aggregate.meter(), aggregate.subject(), aggregate.size().name(),
            SeriesBucket.of(aggregate.size(), aggregate.windowStart()), aggregate.windowStart()};
    }

    /** Sums in one canonical form, so that equal sums are equal keys in top_subjects and top_sums. */
    private static BigDecimal sum(final WindowAggregate aggregate) {
        return aggregate.sum().stripTrailingZeros();
    }
}
