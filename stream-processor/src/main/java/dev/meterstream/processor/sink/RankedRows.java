package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Hour and day aggregates with their rank in {@code top_subjects}. That table is ordered by sum, so a new sum is a
 * new row and the old one must go. The sums a series row may have left there are recorded in its {@code top_sums}
 * (the new one with them) before the top rows are changed: a crash at any point leaves the record of every row to
 * delete, and the replay deletes them. So {@code top_sums} always holds at least the sums of the series' rows in
 * {@code top_subjects}, sometimes one more that is already gone (harmless: deleting it again changes nothing).
 *
 * <p>Reading {@code top_sums} before each write would cost a read per ranked aggregate per flush. Instead the sum
 * each row was last written with is remembered while this sink keeps its partitions: after a completed write the
 * series has exactly that one row in {@code top_subjects}, so it is all that must go next time. Only a row not
 * written by this sink since its partitions were assigned (or since the memory was last cleared) is read. The
 * memory is forgotten whenever partitions move or the sink rewinds ({@link #forget}), because another sink may then
 * write the same rows; it is kept only for writes that completed.
 */
final class RankedRows {
    /** Rows remembered at most; past it the memory starts again empty (a read per row until it fills). */
    static final int MAX_REMEMBERED = 1_000_000;

    private final PreparedStatement upsert;
    private final PreparedStatement readTopSums;
    private final PreparedStatement insertTop;
    private final PreparedStatement deleteTop;
    /** By aggregate key: the sum of the series' one row in top_subjects, as this sink last wrote it. */
    private final Map<String, BigDecimal> written = new HashMap<>();

    private final ReplicaGroups replicas;

    RankedRows(final CqlSession session, final String keyspace, final ReplicaGroups replicas) {
        this.replicas = replicas;
        final Views.Table series = Views.AGGREGATES_BY_SUBJECT;
        final List<String> totalsAndSums = new ArrayList<>(Views.TOTALS);
        totalsAndSums.add(Views.Column.TOP_SUMS);
        upsert = session.prepare(series.update(keyspace, totalsAndSums));
        readTopSums = session.prepare(series.select(keyspace, List.of(Views.Column.TOP_SUMS)) + " WHERE "
                + Views.equal(series.primaryKey()));
        insertTop = session.prepare(Views.TOP_SUBJECTS.insert(keyspace, Views.TOP_SUBJECTS.columns()));
        deleteTop = session.prepare(Views.TOP_SUBJECTS.delete(keyspace));
    }

    /** Forgets what was written: the next write of each row reads its top_sums first. */
    void forget() {
        written.clear();
    }

    /**
     * Records the sums the rows may have left in {@code top_subjects} beside the new ones (reading them where they
     * are not remembered), then replaces the top rows. Returns when all of it is written.
     */
    void write(final List<WindowAggregate> ranked, final CassandraRequests requests, final int batchRows) {
        if (ranked.isEmpty()) {
            return;
        }
        final List<CompletableFuture<AsyncResultSet>> reads = new ArrayList<>(ranked.size());
        for (final WindowAggregate aggregate : ranked) {
            reads.add(written.containsKey(aggregate.key()) ? null
                    : requests.send(readTopSums.bind(seriesKey(aggregate).toArray()),
                            Views.AGGREGATES_BY_SUBJECT.name() + "(read)", 1));
        }
        final Batches recording = new Batches(Views.AGGREGATES_BY_SUBJECT, replicas);
        final List<Set<BigDecimal>> leftBehind = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            final WindowAggregate aggregate = ranked.get(i);
            final Set<BigDecimal> previous = new LinkedHashSet<>();
            if (reads.get(i) == null) {
                previous.add(written.get(aggregate.key()));
            } else {
                final Row row = CassandraRequests.awaitAll(List.of(reads.get(i))).getFirst().one();
                if (row != null && !row.isNull(0)) {
                    row.getSet(0, BigDecimal.class).forEach(sum -> previous.add(sum.stripTrailingZeros()));
                }
            }
            final BigDecimal sum = sum(aggregate);
            final Set<BigDecimal> record = new LinkedHashSet<>(previous);
            record.add(sum);
            previous.remove(sum);
            leftBehind.add(previous);
            final List<Object> values = new ArrayList<>(java.util.Arrays.asList(aggregate.count(), sum, aggregate.min(),
                    aggregate.max(), record));
            values.addAll(seriesKey(aggregate));
            recording.add(seriesKey(aggregate).subList(0, 5), upsert.bind(values.toArray()));
        }
        final List<CompletableFuture<AsyncResultSet>> recorded = new ArrayList<>(ranked.size());
        recording.send(requests, batchRows, recorded);
        CassandraRequests.awaitAll(recorded);

        final Batches byWindow = new Batches(Views.TOP_SUBJECTS, replicas);
        for (int i = 0; i < ranked.size(); i++) {
            final WindowAggregate aggregate = ranked.get(i);
            final List<Object> window = List.of(aggregate.tenant(), aggregate.meter(), aggregate.size(),
                    aggregate.windowStart());
            for (final BigDecimal old : leftBehind.get(i)) {
                byWindow.add(window, deleteTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                        aggregate.windowStart(), old, aggregate.subject()));
            }
            byWindow.add(window, insertTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                    aggregate.windowStart(), sum(aggregate), aggregate.subject(), aggregate.count()));
        }
        final List<CompletableFuture<AsyncResultSet>> ranks = new ArrayList<>();
        byWindow.send(requests, batchRows, ranks);
        CassandraRequests.awaitAll(ranks);

        if (written.size() + ranked.size() > MAX_REMEMBERED) {
            written.clear();
        }
        for (final WindowAggregate aggregate : ranked) {
            written.put(aggregate.key(), sum(aggregate));
        }
    }

    /** The primary key of the aggregate's row in {@code aggregates_by_subject}, in Views' order. */
    private static List<Object> seriesKey(final WindowAggregate aggregate) {
        return List.of(aggregate.tenant(), aggregate.meter(), aggregate.subject(), aggregate.size().name(),
                SeriesBucket.of(aggregate.size(), aggregate.windowStart()), aggregate.windowStart());
    }

    /** Sums in one canonical form, so that equal sums are equal keys in top_subjects and top_sums. */
    static BigDecimal sum(final WindowAggregate aggregate) {
        return aggregate.sum().stripTrailingZeros();
    }
}
