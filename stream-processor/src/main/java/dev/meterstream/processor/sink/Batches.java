package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import dev.meterstream.schema.Views;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Rows of one table gathered by Cassandra partition and sent as UNLOGGED batches of at most {@code batchRows}
 * (a single row unbatched). A batch within one partition is one mutation on one replica set, which is what makes
 * it cheaper than its rows one by one; across partitions it would only add coordinator work, so it is never used so.
 */
final class Batches {
    private final Views.Table table;
    private final Map<List<Object>, List<BoundStatement>> byPartition = new LinkedHashMap<>();

    Batches(final Views.Table table) {
        this.table = table;
    }

    /** Adds a row of the partition whose key values are {@code partition}. */
    void add(final List<Object> partition, final BoundStatement row) {
        byPartition.computeIfAbsent(partition, key -> new ArrayList<>()).add(row);
    }

    /** Sends everything added, adding each request to {@code writes}. */
    void send(final CassandraRequests requests, final int batchRows,
              final List<CompletableFuture<AsyncResultSet>> writes) {
        for (final List<BoundStatement> rows : byPartition.values()) {
            for (int from = 0; from < rows.size(); from += batchRows) {
                final List<BoundStatement> chunk = rows.subList(from, Math.min(rows.size(), from + batchRows));
                if (chunk.size() == 1) {
                    writes.add(requests.send(chunk.getFirst(), table.name(), 1));
                } else {
                    writes.add(requests.send(BatchStatement.newInstance(BatchType.UNLOGGED)
                            .addAll(List.copyOf(chunk)), table.name(), chunk.size()));
                }
            }
        }
    }
}
