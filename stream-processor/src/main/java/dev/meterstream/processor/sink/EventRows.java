package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The event view: {@code events_by_subject_day} (partitioned by subject and day), batched as {@link Batches} allows;
 * a lookup by id reads it through its index ({@link Views#EVENTS_BY_ID}, V011). Each row holds the event as one
 * blob, the canonical log's record ({@link UsageEventBytes}): a cell per value cost Cassandra work per cell (V010).
 */
final class EventRows {
    private final PreparedStatement bySubjectDay;
    private final ReplicaGroups replicas;

    EventRows(final CqlSession session, final String keyspace, final ReplicaGroups replicas) {
        this.replicas = replicas;
        bySubjectDay = session.prepare(Views.EVENTS_BY_SUBJECT_DAY.insert(keyspace,
                Views.EVENTS_BY_SUBJECT_DAY.columns()));
    }

    void write(final List<SequencedEvent> events, final CassandraRequests requests, final int batchRows,
               final List<CompletableFuture<AsyncResultSet>> writes) {
        final Batches bySubject = new Batches(Views.EVENTS_BY_SUBJECT_DAY, replicas);
        for (final SequencedEvent sequenced : events) {
            final UsageEvent event = sequenced.event();
            // Cassandra's timestamps hold milliseconds: the clustering orders by those; the blob keeps the rest.
            final Instant millis = event.timestamp().truncatedTo(ChronoUnit.MILLIS);
            final LocalDate day = SeriesBucket.day(event.timestamp());
            final byte[] record = UsageEventBytes.write(sequenced);
            // Columns in Views' order: key, then EVENT_VALUES.
            bySubject.add(List.of(event.tenant(), event.subject(), day), bySubjectDay.bind(event.tenant(),
                    event.subject(), day, millis, event.id(), ByteBuffer.wrap(record)));
        }
        bySubject.send(requests, batchRows, writes);
    }
}
