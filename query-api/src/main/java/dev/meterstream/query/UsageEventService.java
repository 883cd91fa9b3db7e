package dev.meterstream.query;

import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/** {@code /api/usages}: one event by the id its producer gave it, as the views hold it. */
final class UsageEventService implements HttpService {
    static final String PATH = "/api/usages";

    private final EventQueries events;
    private final Freshness freshness;
    private final QueryMetrics metrics;

    UsageEventService(final EventQueries events, final Freshness freshness, final QueryMetrics metrics) {
        this.events = events;
        this.freshness = freshness;
        this.metrics = metrics;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/{id}", new Endpoint("usage-by-id", this::eventById, freshness, metrics));
    }

    private Answer<EventQueries.StoredEvent> eventById(final String tenant, final ServerRequest request) {
        final String id = request.path().pathParameters().get("id");
        final EventQueries.StoredEvent event = events.byId(tenant, id).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-event", "Unknown event", "no event with id '" + id + "' for this tenant")));
        return Answer.of("events", EventQueries.COLUMNS).item(event);
    }
}
