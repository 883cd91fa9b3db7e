package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterTypeWindow;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes defined meters' records into their views: a type's live states into {@code meter_type_states} (V008, the
 * record's bytes as they are), backfilled states and distinct values in their meter version's subject-month
 * partitions (V006; all batched by partition, as the event-type series are), boundaries, ends and backfill progress
 * into {@code meter_backfill}.
 */
final class MeterRows {
    private final ReplicaGroups replicas;
    private final PreparedStatement upsertState;
    private final PreparedStatement upsertTypeStates;
    private final PreparedStatement insertDistinct;
    private final PreparedStatement upsertBoundary;
    private final PreparedStatement upsertEnd;
    private final PreparedStatement upsertProgress;

    MeterRows(final CqlSession session, final String keyspace, final ReplicaGroups replicas) {
        this.replicas = replicas;
        upsertState = session.prepare(Views.METER_STATES.update(keyspace, Views.METER_STATES.values()));
        upsertTypeStates = session.prepare(Views.METER_TYPE_STATES.update(keyspace, Views.METER_TYPE_STATES.values()));
        insertDistinct = session.prepare(Views.METER_DISTINCT_VALUES.insert(keyspace,
                Views.METER_DISTINCT_VALUES.columns()));
        upsertBoundary = session.prepare(Views.METER_BACKFILL.update(keyspace, List.of(Views.Column.BOUNDARY)));
        upsertEnd = session.prepare(Views.METER_BACKFILL.update(keyspace, List.of(Views.Column.END_BOUNDARY)));
        upsertProgress = session.prepare(Views.METER_BACKFILL.update(keyspace,
                List.of(Views.Column.BOUNDARY, Views.Column.THROUGH)));
    }

    void write(final Collection<MeterRow> rows, final CassandraRequests requests, final int batchRows,
               final List<CompletableFuture<AsyncResultSet>> writes) {
        if (rows.isEmpty()) {
            return;
        }
        final Batches states = new Batches(Views.METER_STATES, replicas);
        final Batches typeStates = new Batches(Views.METER_TYPE_STATES, replicas);
        final Batches distinct = new Batches(Views.METER_DISTINCT_VALUES, replicas);
        final Batches backfill = new Batches(Views.METER_BACKFILL, replicas);
        for (final MeterRow row : rows) {
            switch (row.key()) {
                case MeterRecordKey.State key -> {
                    final MeterWindowKey window = key.window();
                    final MeterState state = row.state();
                    final List<Object> partition = partition(window);
                    final Instant latest = state.latestTime();
                    // SET the values, then the primary key, in Views' order.
                    states.add(partition, upsertState.bind(state.count(), state.number(),
                            latest == null ? null : Instant.ofEpochMilli(latest.toEpochMilli()),
                            latest == null ? null : latest.getNano() % 1_000_000,
                            latest == null ? null : state.latestLogId(),
                            partition.get(0), partition.get(1), partition.get(2), partition.get(3), partition.get(4),
                            window.size().name(), window.windowStart(), window.groupsText(), key.shard(),
                            key.source().name()));
                }
                case MeterRecordKey.TypeStates key -> {
                    final MeterTypeWindow window = key.window();
                    final Instant bucket = SeriesBucket.of(window.size(), window.windowStart());
                    final String subject = window.subject() == null ? Views.ALL_SUBJECTS : window.subject();
                    typeStates.add(List.of(window.tenant(), window.eventType(), subject, window.size().name(), bucket),
                            upsertTypeStates.bind(ByteBuffer.wrap(row.typeStates()), window.tenant(),
                                    window.eventType(), subject, window.size().name(), bucket, window.windowStart(),
                                    key.shard()));
                }
                case MeterRecordKey.Distinct key -> {
                    final MeterWindowKey window = key.window();
                    final List<Object> partition = partition(window);
                    distinct.add(partition, insertDistinct.bind(partition.get(0), partition.get(1), partition.get(2),
                            partition.get(3), partition.get(4), window.size().name(), window.windowStart(),
                            window.groupsText(), key.value()));
                }
                case MeterRecordKey.Boundary key ->
                        shardSequence(backfill, upsertBoundary, key.meter(), key.shard(), row.boundary().sequence());
                case MeterRecordKey.End key ->
                        shardSequence(backfill, upsertEnd, key.meter(), key.shard(), row.boundary().sequence());
                case MeterRecordKey.Progress key -> {
                    final MeterVersion meter = key.meter();
                    backfill.add(List.of(meter.tenant(), meter.slug(), meter.version()),
                            upsertProgress.bind(row.progress().boundary(), row.progress().through(), meter.tenant(),
                                    meter.slug(), meter.version(), key.shard()));
                }
                case MeterRecordKey.Backfilled key -> {
                    // The coordinator's own note; the progress rows already say the same to readers.
                }
            }
        }
        states.send(requests, batchRows, writes);
        typeStates.send(requests, batchRows, writes);
        distinct.send(requests, batchRows, writes);
        backfill.send(requests, batchRows, writes);
    }

    /** A boundary or an end: one sequence in a meter version's shard row of {@code meter_backfill}. */
    private static void shardSequence(final Batches backfill, final PreparedStatement upsert, final MeterVersion meter,
                                      final int shard, final long sequence) {
        backfill.add(List.of(meter.tenant(), meter.slug(), meter.version()),
                upsert.bind(sequence, meter.tenant(), meter.slug(), meter.version(), shard));
    }

    private static List<Object> partition(final MeterWindowKey window) {
        final LocalDate month = SeriesBucket.month(window.windowStart());
        return List.of(window.tenant(), window.slug(), window.version(),
                window.subject() == null ? Views.ALL_SUBJECTS : window.subject(), month);
    }
}
