package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import dev.meterstream.schema.Views.Column;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads events: one by its identity (through the index {@code Views.EVENTS_BY_ID}), or a subject's in time order,
 * paged.
 */
final class EventQueries {
    /** An event as the views hold it: the canonical log's record of it (V010). */
    record StoredEvent(SequencedEvent logged) {
        String id() {
            return logged.event().id();
        }

        String subject() {
            return logged.event().subject();
        }

        String meter() {
            return logged.event().meter();
        }

        BigDecimal quantity() {
            return logged.event().quantity();
        }

        Instant timestamp() {
            return logged.event().timestamp();
        }

        Map<String, String> properties() {
            return logged.event().properties();
        }

        Instant receivedAt() {
            return logged.event().receivedAt();
        }

        String logId() {
            return logged.partition() + "-" + logged.sequence();
        }
    }

    /** How an event is answered, in JSON and CSV. */
    static final List<Answer.Column<StoredEvent>> COLUMNS = List.of(
            new Answer.Column<>("id", StoredEvent::id),
            new Answer.Column<>("subject", StoredEvent::subject),
            new Answer.Column<>("meter", StoredEvent::meter),
            new Answer.Column<>("quantity", StoredEvent::quantity),
            new Answer.Column<>("timestamp", StoredEvent::timestamp),
            new Answer.Column<>("properties", StoredEvent::properties),
            new Answer.Column<>("receivedAt", StoredEvent::receivedAt),
            new Answer.Column<>("logId", StoredEvent::logId));

    /** One page of a subject's events and the cursor of the next page (empty on the last). */
    record Page(List<StoredEvent> events, Optional<Cursor> nextCursor) {
    }

    /** What is read of an event: the log's record of it (V010). */
    private static final List<String> READ = Views.EVENT_VALUES;
    /** And of a subject's, the clustering too, for the page's cursor. */
    private static final List<String> READ_IN_ORDER = Stream.concat(
            Views.EVENTS_BY_SUBJECT_DAY.clustering().stream(), READ.stream()).toList();

    private final PreparedStatement byId;
    private final PreparedStatement bySubjectFrom;
    private final PreparedStatement bySubjectAfter;

    EventQueries(final CqlSession session, final String keyspace) {
        byId = session.prepare(Views.EVENTS_BY_ID.select(keyspace, READ, List.of(Column.TENANT)));
        final String bySubject = Views.EVENTS_BY_SUBJECT_DAY.select(keyspace, READ_IN_ORDER) + " WHERE "
                + Views.equal(Views.EVENTS_BY_SUBJECT_DAY.partitionKey()) + " AND ";
        bySubjectFrom = session.prepare(bySubject + Column.EVENT_TIME + " >= ? AND " + Column.EVENT_TIME
                + " < ? LIMIT ?");
        bySubjectAfter = session.prepare(bySubject + "(" + Column.EVENT_TIME + ", " + Column.EVENT_ID
                + ") > (?, ?) AND " + Column.EVENT_TIME + " < ? LIMIT ?");
    }

    /**
     * The tenant's event with this id. An id counted again after the lateness horizon has a row per copy; the
     * latest in the log answers, as it did when the id had a row of its own that each copy overwrote (the copies of
     * an id share a raw partition, so their sequences order them).
     */
    Optional<StoredEvent> byId(final ViewReads reads, final String tenant, final String id) {
        return reads.execute(byId.bind(id, tenant)).all().stream().map(EventQueries::event)
                .flatMap(Optional::stream).max(Comparator.comparingLong(event -> event.logged().packed()));
    }

    /**
     * Up to {@code limit} events of a subject with times in [from, to), in time order (then id), starting after
     * the cursor if one is given. Reads day partitions in order until the page is full.
     */
    Page bySubject(final ViewReads reads, final String tenant, final String subject, final Instant from, final Instant to,
                   final int limit, final Optional<Cursor> after) {
        final List<StoredEvent> events = new ArrayList<>(limit);
        LocalDate day = after.map(Cursor::day).orElse(SeriesBucket.day(from));
        final LocalDate lastDay = SeriesBucket.day(to.minusNanos(1));
        // Rows, not events, fill a page and place its cursor: a row without its event (stored before V010, not yet
        // rebuilt) is skipped, and the rows after it on that day are still read.
        int rows = 0;
        Cursor last = null;
        boolean first = true;
        while (!day.isAfter(lastDay) && rows < limit) {
            final int want = limit - rows;
            final var statement = first && after.isPresent()
                    ? bySubjectAfter.bind(tenant, subject, day, after.get().eventTime(), after.get().eventId(),
                            to, want)
                    : bySubjectFrom.bind(tenant, subject, day, max(from, day), to, want);
            for (final Row row : reads.execute(statement)) {
                rows++;
                last = new Cursor(day, row.getInstant(Column.EVENT_TIME), row.getString(Column.EVENT_ID));
                event(row).ifPresent(events::add);
            }
            if (rows < limit) {
                day = day.plusDays(1);
            }
            first = false;
        }
        return new Page(events, rows < limit || last == null ? Optional.empty() : Optional.of(last));
    }

    private static Instant max(final Instant from, final LocalDate day) {
        final Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return from.isAfter(start) ? from : start;
    }

    /**
     * The event of a row; none for a row stored before V010 and not yet rebuilt (its values were dropped with their
     * columns: docs/operations.md, "Rebuilding the views").
     */
    private static Optional<StoredEvent> event(final Row row) {
        final ByteBuffer blob = row.getByteBuffer(Column.EVENT);
        if (blob == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredEvent(UsageEventBytes.readSequenced(blob)));
    }

    /** Where a page ended: its last row's day, millisecond and id ({@link CursorSigner} signs it for clients). */
    record Cursor(LocalDate day, Instant eventTime, String eventId) {
    }
}
