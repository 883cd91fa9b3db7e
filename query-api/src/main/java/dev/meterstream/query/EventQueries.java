package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads events: one by its identity ({@code events_by_id}), or a subject's in time order, paged. */
final class EventQueries {
    /** An event as the views hold it. */
    record StoredEvent(String id, String subject, String meter, BigDecimal quantity, Instant timestamp,
                       Map<String, String> properties, Instant receivedAt, int logPartition, long logSequence) {
        String logId() {
            return logPartition + "-" + logSequence;
        }
    }

    /** One page of a subject's events and the cursor of the next page (empty on the last). */
    record Page(List<StoredEvent> events, Optional<String> nextCursor) {
    }

    private static final String EVENT_COLUMNS = "event_id, subject, meter, quantity_exact, event_time, event_nanos, "
            + "properties, received_at, log_partition, log_sequence";

    private final CqlSession session;
    private final PreparedStatement byId;
    private final PreparedStatement bySubjectFrom;
    private final PreparedStatement bySubjectAfter;

    EventQueries(final CqlSession session, final String keyspace) {
        this.session = session;
        byId = session.prepare("SELECT " + EVENT_COLUMNS + " FROM " + keyspace
                + "." + Views.EVENTS_BY_ID + " WHERE tenant = ? AND event_id = ?");
        final String bySubject = "SELECT " + EVENT_COLUMNS + " FROM " + keyspace
                + "." + Views.EVENTS_BY_SUBJECT_DAY + " WHERE tenant = ? AND subject = ? AND day = ? AND ";
        bySubjectFrom = session.prepare(bySubject + "event_time >= ? AND event_time < ? LIMIT ?");
        bySubjectAfter = session.prepare(bySubject + "(event_time, event_id) > (?, ?) AND event_time < ? LIMIT ?");
    }

    Optional<StoredEvent> byId(final String tenant, final String id) {
        return Optional.ofNullable(session.execute(byId.bind(tenant, id)).one()).map(EventQueries::event);
    }

    /**
     * Up to {@code limit} events of a subject with times in [from, to), in time order (then id), starting after
     * the cursor if one is given. Reads day partitions in order until the page is full.
     */
    Page bySubject(final String tenant, final String subject, final Instant from, final Instant to,
                   final int limit, final Optional<Cursor> after) {
        final List<StoredEvent> events = new ArrayList<>(limit);
        LocalDate day = after.map(Cursor::day).orElse(SeriesBucket.day(from));
        final LocalDate lastDay = SeriesBucket.day(to.minusNanos(1));
        boolean first = true;
        while (!day.isAfter(lastDay) && events.size() < limit) {
            final int want = limit - events.size();
            final var statement = first && after.isPresent()
                    ? bySubjectAfter.bind(tenant, subject, day, after.get().eventTime(), after.get().eventId(),
                            to, want)
                    : bySubjectFrom.bind(tenant, subject, day, max(from, day), to, want);
            for (final Row row : session.execute(statement)) {
                events.add(event(row));
            }
            if (events.size() < limit) {
                day = day.plusDays(1);
            }
            first = false;
        }
        if (events.size() < limit || events.isEmpty()) {
            return new Page(events, Optional.empty());
        }
        final StoredEvent last = events.getLast();
        return new Page(events, Optional.of(new Cursor(SeriesBucket.day(last.timestamp()),
                last.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), last.id()).encode()));
    }

    private static Instant max(final Instant from, final LocalDate day) {
        final Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return from.isAfter(start) ? from : start;
    }

    private static StoredEvent event(final Row row) {
        final Instant millis = row.getInstant("event_time");
        return new StoredEvent(row.getString("event_id"), row.getString("subject"), row.getString("meter"),
                row.getBigDecimal("quantity_exact"), millis.plusNanos(row.getInt("event_nanos")),
                row.getMap("properties", String.class, String.class), row.getInstant("received_at"),
                row.getInt("log_partition"), row.getLong("log_sequence"));
    }

    /** Where a page ended: the last event's day, millisecond and id. Opaque to clients (base64url). */
    record Cursor(LocalDate day, Instant eventTime, String eventId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((day + "|" + eventTime.toEpochMilli() + "|"
                    + eventId).getBytes(StandardCharsets.UTF_8));
        }

        /** The cursor in {@code text}, or empty if it is not one this service made. */
        static Optional<Cursor> decode(final String text) {
            try {
                final String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)
                        .split("\\|", 3);
                return Optional.of(new Cursor(LocalDate.parse(parts[0]),
                        Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2]));
            } catch (final RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
