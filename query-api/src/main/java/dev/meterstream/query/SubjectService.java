package dev.meterstream.query;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.Optional;

/** {@code /api/subjects}: a subject's events in time order, a page at a time. */
final class SubjectService implements HttpService {
    static final String PATH = "/api/subjects";

    private final QuerySettings settings;
    private final EventQueries events;
    private final Freshness freshness;
    private final QueryMetrics metrics;

    SubjectService(final QuerySettings settings, final EventQueries events, final Freshness freshness,
                   final QueryMetrics metrics) {
        this.settings = settings;
        this.events = events;
        this.freshness = freshness;
        this.metrics = metrics;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/{subject}/events", new Endpoint("subject-events", this::subjectEvents, freshness, metrics));
    }

    private Answer<EventQueries.StoredEvent> subjectEvents(final String tenant, final ServerRequest request) {
        final String subject = request.path().pathParameters().get("subject");
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final int limit = params.integer("limit", 100, 1, settings.maxEventsPage());
        final Optional<String> cursorText = params.text("cursor");
        final Optional<EventQueries.Cursor> cursor = cursorText.flatMap(EventQueries.Cursor::decode);
        if (cursorText.isPresent() && cursor.isEmpty()) {
            params.violation("cursor", "is not a cursor this service gave out");
        }
        params.range(from, to, settings.maxEventsRange());
        params.check();
        final EventQueries.Page page = events.bySubject(tenant, subject, from, to, limit, cursor);
        final Answer<EventQueries.StoredEvent> answer = Answer.of("events", EventQueries.COLUMNS)
                .field("subject", subject).field("from", from).field("to", to)
                .field("nextCursor", page.nextCursor().orElse(null));
        page.events().forEach(answer::item);
        return answer;
    }
}
