package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
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
    private final Endpoints endpoints;
    private final CursorSigner cursors;

    SubjectService(final QuerySettings settings, final EventQueries events, final Endpoints endpoints,
                   final CursorSigner cursors) {
        this.settings = settings;
        this.events = events;
        this.endpoints = endpoints;
        this.cursors = cursors;
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, "/{subject}/events", Resource.get(endpoints.of("subject-events", this::subjectEvents)));
    }

    private Answer<EventQueries.StoredEvent> subjectEvents(final String tenant, final ServerRequest request,
                                                            final ViewReads reads) {
        final String subject = request.path().pathParameters().get("subject");
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final int limit = params.integer("limit", 100, 1, settings.maxEventsPage());
        params.range(from, to, settings.maxEventsRange());
        params.check();
        // Checked once the range is known to be valid: a cursor is good only for the request it was given for.
        final CursorSigner.Scope scope = new CursorSigner.Scope(tenant, subject, from, to);
        final Optional<String> cursorText = params.text("cursor");
        final Optional<EventQueries.Cursor> cursor = cursorText.flatMap(text -> cursors.verify(scope, text));
        if (cursorText.isPresent() && cursor.isEmpty()) {
            params.violation("cursor", "is not a cursor this service gave out for this subject and range");
            params.check();
        }
        final EventQueries.Page page = events.bySubject(reads, tenant, subject, from, to, limit, cursor);
        final Answer<EventQueries.StoredEvent> answer = Answer.of("events", EventQueries.COLUMNS)
                .field("subject", subject).field("from", from).field("to", to)
                .field("nextCursor", page.nextCursor().map(next -> cursors.sign(scope, next)).orElse(null));
        page.events().forEach(answer::item);
        return answer;
    }
}
