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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Hour and day aggregates with their rank in {@code top_subjects}. That table is ordered by sum, so a new sum is a
 * new row and the old one must go. The sums a series row may have left there are first recorded in its
 * {@code top_sums}, then the top rows are changed, then {@code top_sums} is cut back to the current sum: a crash at
 * any point leaves the record of every row to delete, and the replay deletes them.
 */
final class RankedRows {
    private final PreparedStatement upsert;
    private final PreparedStatement readTopSums;
    private final PreparedStatement setTopSums;
    private final PreparedStatement insertTop;
    private final PreparedStatement deleteTop;

    RankedRows(final CqlSession session, final String keyspace) {
        final Views.Table series = Views.AGGREGATES_BY_SUBJECT;
        final List<String> totalsAndSums = new ArrayList<>(Views.TOTALS);
        totalsAndSums.add(Views.Column.TOP_SUMS);
        upsert = session.prepare(series.update(keyspace, totalsAndSums));
        readTopSums = session.prepare(series.select(keyspace, List.of(Views.Column.TOP_SUMS)) + " WHERE "
                + Views.equal(series.primaryKey()));
        setTopSums = session.prepare(series.update(keyspace, List.of(Views.Column.TOP_SUMS)));
        insertTop = session.prepare(Views.TOP_SUBJECTS.insert(keyspace, Views.TOP_SUBJECTS.columns()));
        deleteTop = session.prepare(Views.TOP_SUBJECTS.delete(keyspace));
    }

    /**
     * Reads the sums the rows may have left in {@code top_subjects}, records the new ones beside them, replaces the
     * top rows, and adds the requests that cut the records back to {@code writes}.
     */
    void write(final List<WindowAggregate> ranked, final CassandraRequests requests, final int batchRows,
               final List<CompletableFuture<AsyncResultSet>> writes) {
        if (ranked.isEmpty()) {
            return;
        }
        final List<CompletableFuture<AsyncResultSet>> reads = new ArrayList<>(ranked.size());
        for (final WindowAggregate aggregate : ranked) {
            reads.add(requests.send(readTopSums.bind(seriesKey(aggregate).toArray()),
                    Views.AGGREGATES_BY_SUBJECT.name() + "(read)", 1));
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
            final List<Object> values = new ArrayList<>(java.util.Arrays.asList(aggregate.count(), sum, aggregate.min(),
                    aggregate.max(), record));
            values.addAll(seriesKey(aggregate));
            recorded.add(requests.send(upsert.bind(values.toArray()), Views.AGGREGATES_BY_SUBJECT.name(), 1));
        }
        CassandraRequests.awaitAll(recorded);

        final Batches byWindow = new Batches(Views.TOP_SUBJECTS);
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

        for (int i = 0; i < ranked.size(); i++) {
            if (!leftBehind.get(i).isEmpty()) {
                final WindowAggregate aggregate = ranked.get(i);
                final List<Object> values = new ArrayList<>();
                values.add(Set.of(sum(aggregate)));
                values.addAll(seriesKey(aggregate));
                writes.add(requests.send(setTopSums.bind(values.toArray()), Views.AGGREGATES_BY_SUBJECT.name(), 1));
            }
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
