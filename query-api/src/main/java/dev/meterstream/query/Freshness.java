package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.schema.Views;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fresh the views are: the instant before which every accepted event is in them, as the sink last recorded it
 * in {@code view_progress}. Read at most once per {@code cacheFor}, since every answer carries it.
 */
final class Freshness {
    private final CqlSession session;
    private final PreparedStatement read;
    private final long cacheNanos;
    private volatile Optional<Instant> cached = Optional.empty();
    private volatile long readAtNanos;
    private volatile boolean everRead;

    Freshness(final CqlSession session, final String keyspace, final Duration cacheFor) {
        this.session = session;
        this.read = session.prepare(Views.completeThroughQuery(keyspace));
        this.cacheNanos = cacheFor.toNanos();
    }

    /** The instant the views are complete through; empty before the sink has recorded one. */
    Optional<Instant> completeThrough() {
        final long now = System.nanoTime();
        if (!everRead || now - readAtNanos >= cacheNanos) {
            final Row row = session.execute(read.bind()).one();
            cached = row == null || row.isNull(0) ? Optional.empty() : Optional.of(row.getInstant(0));
            readAtNanos = now;
            everRead = true;
        }
        return cached;
    }
}
