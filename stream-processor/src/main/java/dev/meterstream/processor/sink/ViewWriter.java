package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one flush of gathered records into the view tables: prepared statements, sent asynchronously, grouped
 * into UNLOGGED batches of rows that share a partition or its replicas ({@link Batches}). Every write is an upsert of
 * absolute values keyed by identity, so writing the same records again (a replay, a retried flush) changes nothing.
 * Events go to {@link EventRows}; the rank of hour and day aggregates to {@link RankedRows}; the aggregates
 * themselves, shard rollups and the tenant's meters are written here.
 */
final class ViewWriter {
    private final CassandraRequests requests;
    private final int batchRows;
    private final ReplicaGroups replicas;
    private final EventRows events;
    private final RankedRows ranked;
    private final MeterRows meterRows;
    private final PreparedStatement upsertSeries;
    private final PreparedStatement upsertShard;
    private final PreparedStatement insertMeter;
    /** Tenant and meter pairs written since the memory was last cleared: a meter is listed once, not per flush. */
    private final Set<List<String>> metersWritten = new java.util.HashSet<>();

    ViewWriter(final CqlSession session, final String keyspace, final CassandraRequests requests,
               final int batchRows, final ReplicaGroups replicas) {
        this.requests = requests;
        this.batchRows = batchRows;
        this.replicas = replicas;
        this.events = new EventRows(session, keyspace, replicas);
        this.ranked = new RankedRows(session, keyspace, replicas);
        this.meterRows = new MeterRows(session, keyspace, replicas);
        upsertSeries = session.prepare(Views.AGGREGATES_BY_SUBJECT_MONTH.update(keyspace, Views.TOTALS));
        upsertShard = session.prepare(Views.AGGREGATES_BY_SHARD.update(keyspace, Views.TOTALS));
        insertMeter = session.prepare(Views.METERS_BY_TENANT.insert(keyspace, Views.METERS_BY_TENANT.columns()));
    }

    /** Whether a window size is ranked in {@code top_subjects} (minutes are not: too many windows to rank). */
    static boolean ranked(final WindowSize size) {
        return size != WindowSize.MINUTE;
    }

    /** Writes everything gathered; returns when all of it is written, or throws once a write was given up. */
    void write(final SinkBuffer buffer) {
        final List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        events.write(buffer.events(), requests, batchRows, writes);
        final List<WindowAggregate> rankedAggregates = new ArrayList<>();
        final Set<List<String>> meters = new LinkedHashSet<>();
        // A series' minute, hour and day windows share its month's partition, and so one mutation.
        final Batches series = new Batches(Views.AGGREGATES_BY_SUBJECT_MONTH, replicas);
        final Batches shards = new Batches(Views.AGGREGATES_BY_SHARD, replicas);
        for (final WindowAggregate aggregate : buffer.aggregates()) {
            if (aggregate.isRollup()) {
                final Instant bucket = SeriesBucket.of(aggregate.size(), aggregate.windowStart());
                // SET totals, then the primary key, in Views' order.
                shards.add(List.of(aggregate.tenant(), aggregate.meter(), aggregate.size(), bucket),
                        upsertShard.bind(aggregate.count(), RankedRows.sum(aggregate), aggregate.min(),
                                aggregate.max(), aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                                bucket, aggregate.windowStart(), aggregate.rollupShard()));
                continue;
            }
            meters.add(List.of(aggregate.tenant(), aggregate.meter()));
            if (ranked(aggregate.size())) {
                rankedAggregates.add(aggregate);
            }
            final LocalDate month = SeriesBucket.month(aggregate.windowStart());
            series.add(List.of(aggregate.tenant(), aggregate.meter(), aggregate.subject(), month),
                    upsertSeries.bind(aggregate.count(), RankedRows.sum(aggregate), aggregate.min(), aggregate.max(),
                            aggregate.tenant(), aggregate.meter(), aggregate.subject(), month,
                            aggregate.size().name(), aggregate.windowStart()));
        }
        series.send(requests, batchRows, writes);
        shards.send(requests, batchRows, writes);
        meters.removeAll(metersWritten);
        for (final List<String> meter : meters) {
            writes.add(requests.send(insertMeter.bind(meter.get(0), meter.get(1)), Views.METERS_BY_TENANT.name(), 1));
        }
        meterRows.write(buffer.meterRows(), requests, batchRows, writes);
        ranked.write(rankedAggregates, requests, batchRows);
        CassandraRequests.awaitAll(writes);
        if (metersWritten.size() > RankedRows.MAX_REMEMBERED) {
            metersWritten.clear();
        }
        metersWritten.addAll(meters);
    }

    /**
     * Forgets what this writer remembers having written, so that its next writes assume nothing: called whenever
     * the sink's partitions move or it rewinds, since another sink may then write the same rows.
     */
    void forget() {
        ranked.forget();
        metersWritten.clear();
    }
}
