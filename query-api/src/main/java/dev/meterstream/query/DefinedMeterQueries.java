package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.MeterCoverage;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import dev.meterstream.schema.Views.Column;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Reads defined meters' views (V006-V008): a version's states or distinct values of a range, and its backfill and
 * ends.
 */
final class DefinedMeterQueries {
    /** One row of a meter's states: one window, group, shard and source. */
    record StateRow(Instant windowStart, Map<String, String> groups, MeterState state) {
    }

    /** One distinct value of a window and group. */
    record DistinctRow(Instant windowStart, Map<String, String> groups, String value) {
    }

    /** A shard's boundary, backfill progress and end; null where not written (yet). */
    record ShardBackfill(int shard, Long boundary, Long through, Long end) {
        /** Which of the shard's events the version's states hold. */
        MeterCoverage coverage() {
            return new MeterCoverage(boundary, through, end);
        }
    }

    private final PreparedStatement states;
    private final PreparedStatement typeStates;
    private final PreparedStatement distinct;
    private final PreparedStatement backfill;

    DefinedMeterQueries(final CqlSession session, final String keyspace) {
        final String windows = " AND " + Column.WINDOW_SIZE + " = ? AND " + Column.WINDOW_START + " >= ? AND "
                + Column.WINDOW_START + " < ?";
        // Read by position below.
        states = session.prepare(Views.METER_STATES.select(keyspace, List.of(Column.WINDOW_START, Column.GROUPS,
                Column.COUNT, Column.NUMBER, Column.LATEST_TIME, Column.LATEST_NANOS, Column.LATEST_LOG_ID))
                + " WHERE " + Views.equal(Views.METER_STATES.partitionKey()) + windows);
        typeStates = session.prepare(Views.METER_TYPE_STATES.select(keyspace, List.of(Column.WINDOW_START,
                Column.STATES)) + " WHERE " + Views.equal(Views.METER_TYPE_STATES.partitionKey()) + " AND "
                + Column.WINDOW_START + " >= ? AND " + Column.WINDOW_START + " < ?");
        distinct = session.prepare(Views.METER_DISTINCT_VALUES.select(keyspace, List.of(Column.WINDOW_START,
                Column.GROUPS, Column.VALUE)) + " WHERE " + Views.equal(Views.METER_DISTINCT_VALUES.partitionKey())
                + windows);
        backfill = session.prepare(Views.METER_BACKFILL.select(keyspace, List.of(Column.SHARD, Column.BOUNDARY,
                Column.THROUGH, Column.END_BOUNDARY)) + " WHERE " + Views.equal(Views.METER_BACKFILL.partitionKey()));
    }

    /**
     * Every state row of windows of {@code size} starting in [from, to); subject null for all subjects: the
     * version's own rows (backfilled, and live before V008) and its entries in its event type's live states.
     */
    List<StateRow> states(final ViewReads reads, final MeterVersion meter, final String eventType, final String subject,
                          final WindowSize size, final Instant from, final Instant to) {
        final List<CompletableFuture<List<Row>>> buckets = new ArrayList<>();
        for (final Instant bucket : SeriesBucket.covering(size, from, to)) {
            buckets.add(reads.all(typeStates.bind(meter.tenant(), eventType,
                    subject == null ? Views.ALL_SUBJECTS : subject, size.name(), bucket, from, to))
                    .toCompletableFuture());
        }
        final List<StateRow> rows = new ArrayList<>();
        for (final List<Row> month : read(reads, states, meter, subject, size, from, to)) {
            for (final Row row : month) {
                final Instant latest = row.getInstant(4);
                rows.add(new StateRow(row.getInstant(0), MeterWindowKey.groupsOf(row.getString(1)),
                        new MeterState(row.getLong(2), row.getBigDecimal(3),
                                latest == null ? null : latest.plusNanos(row.getInt(5)),
                                row.isNull(6) ? 0 : row.getLong(6), new TreeSet<>())));
            }
        }
        for (final CompletableFuture<List<Row>> bucket : buckets) {
            for (final Row row : bucket.join()) {
                final Instant windowStart = row.getInstant(0);
                MeterTypeStates.read(row.getByteBuffer(1)).states().forEach((entry, state) -> {
                    if (entry.of(meter)) {
                        rows.add(new StateRow(windowStart, entry.groups(), state));
                    }
                });
            }
        }
        return rows;
    }

    /** Every distinct value of windows of {@code size} starting in [from, to); subject null for all subjects. */
    List<DistinctRow> distinct(final ViewReads reads, final MeterVersion meter, final String subject, final WindowSize size,
                               final Instant from, final Instant to) {
        final List<DistinctRow> rows = new ArrayList<>();
        for (final List<Row> month : read(reads, distinct, meter, subject, size, from, to)) {
            for (final Row row : month) {
                rows.add(new DistinctRow(row.getInstant(0), MeterWindowKey.groupsOf(row.getString(1)),
                        row.getString(2)));
            }
        }
        return rows;
    }

    List<ShardBackfill> backfill(final ViewReads reads, final MeterVersion meter) {
        final List<ShardBackfill> shards = new ArrayList<>();
        for (final Row row : reads.execute(backfill.bind(meter.tenant(), meter.slug(), meter.version()))) {
            shards.add(new ShardBackfill(row.getInt(0), row.isNull(1) ? null : row.getLong(1),
                    row.isNull(2) ? null : row.getLong(2), row.isNull(3) ? null : row.getLong(3)));
        }
        return shards;
    }

    /** The months' partitions read concurrently, each paged to its end. */
    private List<List<Row>> read(final ViewReads reads, final PreparedStatement statement, final MeterVersion meter, final String subject,
                                 final WindowSize size, final Instant from, final Instant to) {
        final List<CompletableFuture<List<Row>>> months = new ArrayList<>();
        for (final LocalDate month : SeriesBucket.months(from, to)) {
            months.add(reads.all(statement.bind(meter.tenant(), meter.slug(), meter.version(),
                    subject == null ? Views.ALL_SUBJECTS : subject, month, size.name(), from, to))
                    .toCompletableFuture());
        }
        return months.stream().map(CompletableFuture::join).toList();
    }
}
