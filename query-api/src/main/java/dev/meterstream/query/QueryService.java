package dev.meterstream.query;

import com.datastax.oss.driver.api.core.DriverException;
import dev.meterstream.event.WindowSize;
import dev.meterstream.problem.Problem;
import dev.meterstream.problem.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The analysts' endpoints. Each authenticates the analyst's key (which names the one tenant it may read), reads its
 * parameters (every violation in one 400), reads the views, and answers JSON, or CSV for {@code Accept: text/csv},
 * always with {@code completeThrough}: the instant before which every accepted event is in the views.
 */
final class QueryService implements HttpService {
    private static final Logger LOG = Logger.getLogger(QueryService.class.getName());
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String JSON = "application/json";
    private static final List<WindowSize> ALL_WINDOWS = List.of(WindowSize.values());
    private static final List<WindowSize> RANKED_WINDOWS = List.of(WindowSize.HOUR, WindowSize.DAY);
    private static final int MAX_SUBJECTS = 50;
    /** The subject of the series of all subjects together (no real subject starts with '*'). */
    static final String ALL_SUBJECTS = "*";
    private static final int MAX_TOP = 100;

    private final QuerySettings settings;
    private final EventQueries events;
    private final UsageQueries usage;
    private final Freshness freshness;
    private final QueryMetrics metrics;
    private final RecentAnswers<TopRequest, Ranking> recentTops;

    /** What identifies a top-subjects answer. */
    private record TopRequest(String tenant, String meter, WindowSize size, Instant from, Instant to, int limit) {
    }

    /** A top-subjects answer and the freshness read before it was computed. */
    private record Ranking(Instant completeThrough, List<UsageQueries.Ranked> subjects) {
    }

    QueryService(final QuerySettings settings, final EventQueries events, final UsageQueries usage,
                 final Freshness freshness, final QueryMetrics metrics) {
        this.settings = settings;
        this.events = events;
        this.usage = usage;
        this.freshness = freshness;
        this.metrics = metrics;
        this.recentTops = new RecentAnswers<>(settings.topCache(), settings.topCacheSize());
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/api/usages/{id}", endpoint("usage-by-id", this::eventById))
                .get("/api/subjects/{subject}/events", endpoint("subject-events", this::subjectEvents))
                .get("/api/meters/{meter}/usage", endpoint("usage-series", this::usageSeries))
                .get("/api/meters/{meter}/top", endpoint("top-subjects", this::topSubjects))
                .get("/api/meters", endpoint("meters", this::meters));
    }

    /** What an endpoint does once the tenant is known. */
    @FunctionalInterface
    private interface Query {
        Answer answer(String tenant, ServerRequest request);
    }

    private Handler endpoint(final String name, final Query query) {
        return (request, response) -> {
            final long started = System.nanoTime();
            int status;
            try {
                final String tenant = settings.apiKeys()
                        .tenantFor(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))
                        .orElseThrow(() -> new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                                "send a known analyst key as 'Authorization: Bearer <key>'")));
                // Read before the views: the answer then holds at least every event before this instant.
                final Instant completeThrough = freshness.completeThrough().orElse(null);
                final Answer answer = query.answer(tenant, request);
                if (!answer.fields().containsKey("completeThrough")) { // a reused answer carries its own
                    answer.field("completeThrough", completeThrough);
                }
                status = 200;
                if (wantsCsv(request)) {
                    response.header(HeaderNames.CONTENT_TYPE, CSV).send(answer.csv());
                } else {
                    response.header(HeaderNames.CONTENT_TYPE, JSON).send(answer.json());
                }
            } catch (final ProblemException e) {
                status = send(response, e.problem(), e.retryAfter());
            } catch (final DriverException | CompletionException e) {
                if (!(e instanceof DriverException) && !(e.getCause() instanceof DriverException)) {
                    throw e;
                }
                metrics.cassandraError(name);
                LOG.log(Level.FINE, "Cassandra failed a " + name + " query", e);
                status = send(response, Problem.of(503, "views-unavailable", "Views unavailable",
                        "the views cannot be read right now; try again shortly"), Duration.ofSeconds(1));
            }
            metrics.request(name, status, started);
        };
    }

    private Answer eventById(final String tenant, final ServerRequest request) {
        final String id = request.path().pathParameters().get("id");
        final EventQueries.StoredEvent event = events.byId(tenant, id).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-event", "Unknown event", "no event with id '" + id + "' for this tenant")));
        return eventColumns("events").item(row(event));
    }

    private Answer subjectEvents(final String tenant, final ServerRequest request) {
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
        final Answer answer = eventColumns("events").field("subject", subject).field("from", from).field("to", to)
                .field("nextCursor", page.nextCursor().orElse(null));
        page.events().forEach(event -> answer.item(row(event)));
        return answer;
    }

    private Answer usageSeries(final String tenant, final ServerRequest request) {
        final String meter = request.path().pathParameters().get("meter");
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final WindowSize size = params.window("window", WindowSize.HOUR, ALL_WINDOWS);
        final List<String> subjects = params.all("subject");
        if (subjects.size() > MAX_SUBJECTS) {
            params.violation("subject", "at most " + MAX_SUBJECTS + " subjects per answer, asked for "
                    + subjects.size());
        }
        params.windows(from, to, size, settings.maxPoints());
        params.check();
        final Answer answer = Answer.of("points", List.of("subject", "windowStart", "count", "sum", "min", "max"))
                .field("meter", meter).field("window", size.name()).field("from", from).field("to", to)
                .field("subjects", subjects.isEmpty() ? List.of(ALL_SUBJECTS) : subjects);
        final Map<String, List<UsageQueries.Point>> found = subjects.isEmpty()
                ? Map.of(ALL_SUBJECTS, usage.allSubjects(tenant, meter, size, from, to))
                : usage.series(tenant, meter, subjects, size, from, to);
        for (final Map.Entry<String, List<UsageQueries.Point>> series : found.entrySet()) {
            for (final UsageQueries.Point point : series.getValue()) {
                answer.item(series.getKey(), point.windowStart(), point.count(), point.sum(), point.min(),
                        point.max());
            }
        }
        return answer;
    }

    private Answer topSubjects(final String tenant, final ServerRequest request) {
        final String meter = request.path().pathParameters().get("meter");
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final WindowSize size = params.window("window", WindowSize.DAY, RANKED_WINDOWS);
        final int limit = params.integer("limit", 10, 1, MAX_TOP);
        params.windows(from, to, size, settings.maxPoints());
        params.check();
        final Answer answer = Answer.of("subjects", List.of("rank", "subject", "sum", "count"))
                .field("meter", meter).field("window", size.name()).field("from", from).field("to", to)
                .field("limit", limit);
        final Ranking ranking = recentTops.get(new TopRequest(tenant, meter, size, from, to, limit), () ->
                new Ranking(freshness.completeThrough().orElse(null), usage.top(tenant, meter, size, from, to, limit)));
        answer.field("completeThrough", ranking.completeThrough());
        int rank = 0;
        for (final UsageQueries.Ranked ranked : ranking.subjects()) {
            answer.item(++rank, ranked.subject(), ranked.sum(), ranked.count());
        }
        return answer;
    }

    private Answer meters(final String tenant, final ServerRequest request) {
        final Answer answer = Answer.of("meters", List.of("meter"));
        usage.meters(tenant).forEach(answer::item);
        return answer;
    }

    private static Answer eventColumns(final String itemsName) {
        return Answer.of(itemsName, List.of("id", "subject", "meter", "quantity", "timestamp", "properties",
                "receivedAt", "logId"));
    }

    private static Object[] row(final EventQueries.StoredEvent event) {
        return new Object[] {event.id(), event.subject(), event.meter(), event.quantity(), event.timestamp(),
            event.properties(), event.receivedAt(), event.logId()};
    }

    private static boolean wantsCsv(final ServerRequest request) {
        return request.headers().first(HeaderNames.ACCEPT).map(accept -> accept.contains("text/csv")
                && !accept.contains("application/json")).orElse(false);
    }

    private static int send(final ServerResponse response, final Problem problem, final Duration retryAfter) {
        response.status(Status.create(problem.status())).header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        if (problem.status() == 401) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        response.send(problem.toJson());
        return problem.status();
    }
}
