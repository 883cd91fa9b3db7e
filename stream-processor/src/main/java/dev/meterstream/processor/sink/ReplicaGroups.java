package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which rows {@link Batches} may put in one batch: those whose partitions the same replicas own, read from the
 * driver's token map (kept current by the driver as the ring changes). Where the map or a row's routing key is not
 * known, a row's group is its own partition, which is always safe.
 */
interface ReplicaGroups {
    /** One partition per batch. */
    ReplicaGroups NONE = (row, partition) -> partition;

    /** The group of a row whose partition key values are {@code partition}: equal groups may share a batch. */
    Object of(BoundStatement row, List<Object> partition);

    /** Groups by the replicas of the session's cluster that own each row's partition in {@code keyspace}. */
    static ReplicaGroups of(final CqlSession session, final String keyspace) {
        final CqlIdentifier name = CqlIdentifier.fromCql(keyspace);
        return (row, partition) -> {
            final ByteBuffer key = row.getRoutingKey();
            final Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
            if (key == null || tokens.isEmpty()) {
                return partition;
            }
            final Set<Node> owners = tokens.get().getReplicas(name, key);
            return owners.isEmpty() ? partition : owners;
        };
    }
}
