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
 * (a single row unbatched). Rows of one partition are one mutation. With {@link ReplicaGroups} that know the
 * cluster, partitions owned by the same replicas share batches too: the batch goes to one of those replicas
 * (token-aware), which applies its mutations locally instead of answering a request per partition. The per-request
 * work (the protocol, the coordinator's bookkeeping, the driver's futures) is what this saves; the writes are the
 * same idempotent upserts, so a batch that fails part-way is retried whole like any other request. A batch across
 * partitions owned by different replicas would only add coordinator work, so it is never made.
 */
final class Batches {
    private final Views.Table table;
    private final ReplicaGroups replicas;
    private final Map<List<Object>, List<BoundStatement>> byPartition = new LinkedHashMap<>();

    /** @param replicas how partitions are grouped into batches ({@link ReplicaGroups#NONE}: one partition each) */
    Batches(final Views.Table table, final ReplicaGroups replicas) {
        this.table = table;
        this.replicas = replicas;
    }

    /** Adds a row of the partition whose key values are {@code partition}. */
    void add(final List<Object> partition, final BoundStatement row) {
        byPartition.computeIfAbsent(partition, key -> new ArrayList<>()).add(row);
    }

    /** Sends everything added, adding each request to {@code writes}. */
    void send(final CassandraRequests requests, final int batchRows,
              final List<CompletableFuture<AsyncResultSet>> writes) {
        final Map<Object, List<BoundStatement>> groups = new LinkedHashMap<>();
        byPartition.forEach((partition, rows) -> groups.computeIfAbsent(
                replicas.of(rows.getFirst(), partition), key -> new ArrayList<>()).addAll(rows));
        for (final List<BoundStatement> rows : groups.values()) {
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
