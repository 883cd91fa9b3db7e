package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/** {@code /api/usages}: one event by the id its producer gave it, as the views hold it. */
final class UsageEventService implements HttpService {
    static final String PATH = "/api/usages";

    private final EventQueries events;
    private final Endpoints endpoints;

    UsageEventService(final EventQueries events, final Endpoints endpoints) {
        this.events = events;
        this.endpoints = endpoints;
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, "/{id}", Resource.get(endpoints.of("usage-by-id", this::eventById)));
    }

    private Answer<EventQueries.StoredEvent> eventById(final String tenant, final ServerRequest request,
                                                     final ViewReads reads) {
        final String id = request.path().pathParameters().get("id");
        final EventQueries.StoredEvent event = events.byId(reads, tenant, id).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-event", "Unknown event", "no event with id '" + id + "' for this tenant")));
        return Answer.of("events", EventQueries.COLUMNS).item(event);
    }
}
