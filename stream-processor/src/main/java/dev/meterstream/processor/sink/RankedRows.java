package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.schema.SumRank;
import dev.meterstream.schema.Views;
import dev.meterstream.support.limits.RecentlyUsed;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The rank of hour and day aggregates in {@code top_subjects_by_rank}. That table is ordered by sum (as
 * {@link SumRank}s), so a new sum is a new row. Quantities are never negative (the event rules refuse them), so a
 * series' sum in a window only grows and its current row is the highest of its rows there: a reader that counts a
 * subject once per window, at the first row it meets, is exact even if older rows were left behind
 * ({@code UsageQueries.top} does, and {@code QueryApiIT} leaves such rows in its views to hold it to that).
 *
 * <p>So no read comes before a write. The sink remembers the sum it last wrote for each row while it keeps its
 * partitions, and deletes that row in the same batch as it inserts the new one. A row it does not remember (after a
 * restart, a rebalance, a rewind, or once the memory has let an old window go) gets its new row only, and may leave
 * one older row behind: storage, not a wrong answer. A crash at any point leaves no row a reader would count.
 * Until session 8 a {@code top_sums} ledger in the series row was read before every write to delete exactly; those
 * reads were most of the sink's requests.
 */
final class RankedRows {
    /** Rows remembered at most (about 300 bytes each); the least recently written go first. */
    static final int MAX_REMEMBERED = 200_000;

    private final PreparedStatement insertTop;
    private final PreparedStatement deleteTop;
    private final ReplicaGroups replicas;
    /** By aggregate key: the rank of the series' row in top_subjects_by_rank, as this sink last wrote it. */
    private final Map<String, BigInteger> written = new RecentlyUsed<>(MAX_REMEMBERED);

    RankedRows(final CqlSession session, final String keyspace, final ReplicaGroups replicas) {
        this.replicas = replicas;
        insertTop = session.prepare(Views.TOP_SUBJECTS.insert(keyspace, Views.TOP_SUBJECTS.columns()));
        deleteTop = session.prepare(Views.TOP_SUBJECTS.delete(keyspace));
    }

    /** Forgets what was written: the next write of each row leaves any older row where it is. */
    void forget() {
        written.clear();
    }

    /** Writes the rows' ranks, deleting the rows they replace where remembered; returns when all are written. */
    void write(final List<WindowAggregate> ranked, final CassandraRequests requests, final int batchRows) {
        if (ranked.isEmpty()) {
            return;
        }
        final Batches byWindow = new Batches(Views.TOP_SUBJECTS, replicas);
        final BigInteger[] ranks = new BigInteger[ranked.size()];
        for (int i = 0; i < ranks.length; i++) {
            final WindowAggregate aggregate = ranked.get(i);
            final List<Object> window = List.of(aggregate.tenant(), aggregate.meter(), aggregate.size(),
                    aggregate.windowStart());
            final BigInteger rank = SumRank.of(aggregate.sum());
            ranks[i] = rank;
            final BigInteger old = written.get(aggregate.key());
            if (old != null && !old.equals(rank)) {
                byWindow.add(window, deleteTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                        aggregate.windowStart(), old, aggregate.subject()));
            }
            byWindow.add(window, insertTop.bind(aggregate.tenant(), aggregate.meter(), aggregate.size().name(),
                    aggregate.windowStart(), rank, aggregate.subject(), aggregate.count()));
        }
        final List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        byWindow.send(requests, batchRows, writes);
        CassandraRequests.awaitAll(writes);
        for (int i = 0; i < ranks.length; i++) {
            written.put(ranked.get(i).key(), ranks[i]);
        }
    }

    /** Sums in one canonical form, as the series rows hold them. */
    static BigDecimal sum(final WindowAggregate aggregate) {
        return aggregate.sum().stripTrailingZeros();
    }
}
