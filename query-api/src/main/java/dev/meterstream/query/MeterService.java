package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
import dev.meterstream.event.WindowSize;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import dev.meterstream.meter.StoredMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/meters}: the meters a tenant has data for, a meter's usage series (per subject or for all subjects
 * together), and its top subjects of a range.
 */
final class MeterService implements HttpService {
    static final String PATH = "/api/meters";
    /** The subject of the series of all subjects together (no real subject starts with '*'). */
    static final String ALL_SUBJECTS = "*";
    private static final List<WindowSize> ALL_WINDOWS = List.of(WindowSize.values());
    private static final List<WindowSize> RANKED_WINDOWS = List.of(WindowSize.HOUR, WindowSize.DAY);
    private static final int MAX_SUBJECTS = 50;
    private static final int MAX_TOP = 100;

    /** One point of one subject's series. */
    private record SubjectPoint(String subject, UsageQueries.Point point) {
    }

    /** A subject and its place in a ranking. */
    private record RankedSubject(int rank, UsageQueries.Ranked ranked) {
    }

    private static final List<Answer.Column<SubjectPoint>> POINT_COLUMNS = List.of(
            new Answer.Column<>("subject", SubjectPoint::subject),
            new Answer.Column<>("windowStart", item -> item.point().windowStart()),
            new Answer.Column<>("count", item -> item.point().count()),
            new Answer.Column<>("sum", item -> item.point().sum()),
            new Answer.Column<>("min", item -> item.point().min()),
            new Answer.Column<>("max", item -> item.point().max()));
    private static final List<Answer.Column<RankedSubject>> RANK_COLUMNS = List.of(
            new Answer.Column<>("rank", RankedSubject::rank),
            new Answer.Column<>("subject", item -> item.ranked().subject()),
            new Answer.Column<>("sum", item -> item.ranked().sum()),
            new Answer.Column<>("count", item -> item.ranked().count()));
    /** An event type with data, and the live definitions that take its events. */
    private record SeenMeter(String meter, List<String> definedBy) {
    }

    private static final List<Answer.Column<SeenMeter>> METER_COLUMNS = List.of(
            new Answer.Column<>("meter", SeenMeter::meter),
            new Answer.Column<>("definedBy", SeenMeter::definedBy));

    /** What identifies a top-subjects answer. */
    private record TopRequest(String tenant, String meter, WindowSize size, Instant from, Instant to, int limit) {
    }

    /** A top-subjects answer and the freshness read before it was computed. */
    private record Ranking(Instant completeThrough, List<UsageQueries.Ranked> subjects) {
    }

    private final QuerySettings settings;
    private final UsageQueries usage;
    private final Endpoints endpoints;
    private final MeterDefinitions definitions;
    private final RecentAnswers<TopRequest, Ranking> recentTops;
    private final DefinedMeterUsage definedUsage;

    MeterService(final QuerySettings settings, final UsageQueries usage, final Endpoints endpoints,
                 final MeterDefinitions definitions,
                 final DefinedMeterUsage definedUsage) {
        this.settings = settings;
        this.definedUsage = definedUsage;
        this.definitions = definitions;
        this.usage = usage;
        this.endpoints = endpoints;
        this.recentTops = new RecentAnswers<>(settings.topCache(), settings.topCacheSize());
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, "/{meter}/usage", Resource.get(endpoints.of("usage-series", this::usageSeries)));
        Resource.route(rules, "/{meter}/top", Resource.get(endpoints.of("top-subjects", this::topSubjects)));
        Resource.route(rules, "/", Resource.get(endpoints.of("meters", this::meters)));
    }

    /** A defined meter's answer for its slug; otherwise the event type's count, sum, min and max, as before. */
    private Answer<?> usageSeries(final String tenant, final ServerRequest request, final ViewReads reads) {
        final String meter = request.path().pathParameters().get("meter");
        final java.util.Optional<StoredMeter> defined = definitions.get(tenant, meter);
        if (defined.isPresent()) {
            return definedUsage.answer(defined.get(), request, reads);
        }
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
        final Answer<SubjectPoint> answer = Answer.of("points", POINT_COLUMNS)
                .field("meter", meter).field("window", size.name()).field("from", from).field("to", to)
                .field("subjects", subjects.isEmpty() ? List.of(ALL_SUBJECTS) : subjects);
        final Map<String, List<UsageQueries.Point>> found = subjects.isEmpty()
                ? Map.of(ALL_SUBJECTS, usage.allSubjects(reads, tenant, meter, size, from, to))
                : usage.series(reads, tenant, meter, subjects, size, from, to);
        for (final Map.Entry<String, List<UsageQueries.Point>> series : found.entrySet()) {
            for (final UsageQueries.Point point : series.getValue()) {
                answer.item(new SubjectPoint(series.getKey(), point));
            }
        }
        return answer;
    }

    private Answer<RankedSubject> topSubjects(final String tenant, final ServerRequest request,
                                              final ViewReads reads) {
        final String meter = request.path().pathParameters().get("meter");
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final WindowSize size = params.window("window", WindowSize.DAY, RANKED_WINDOWS);
        final int limit = params.integer("limit", 10, 1, MAX_TOP);
        params.windows(from, to, size, settings.maxPoints());
        params.check();
        final Answer<RankedSubject> answer = Answer.of("subjects", RANK_COLUMNS)
                .field("meter", meter).field("window", size.name()).field("from", from).field("to", to)
                .field("limit", limit);
        final Ranking ranking = recentTops.get(new TopRequest(tenant, meter, size, from, to, limit), () ->
                new Ranking(endpoints.freshness().completeThrough().orElse(null),
                        usage.top(reads, tenant, meter, size, from, to, limit)));
        answer.field(Endpoint.COMPLETE_THROUGH, ranking.completeThrough());
        int rank = 0;
        for (final UsageQueries.Ranked ranked : ranking.subjects()) {
            answer.item(new RankedSubject(++rank, ranked));
        }
        return answer;
    }

    /**
     * The event types with data (each with the live definitions that take it), the tenant's definitions (deleted
     * ones too: their history stays readable), and the event types with data that no live definition takes.
     */
    private Answer<SeenMeter> meters(final String tenant, final ServerRequest request, final ViewReads reads) {
        final List<StoredMeter> defined = definitions.all(tenant);
        final Answer<SeenMeter> answer = Answer.of("meters", METER_COLUMNS);
        final List<String> undefined = new ArrayList<>();
        for (final String meter : usage.meters(reads, tenant)) {
            final List<String> definedBy = defined.stream()
                    .filter(stored -> !stored.deleted() && stored.definition().eventType().equals(meter))
                    .map(stored -> stored.definition().slug()).toList();
            answer.item(new SeenMeter(meter, definedBy));
            if (definedBy.isEmpty()) {
                undefined.add(meter);
            }
        }
        answer.field("definitions", defined.stream().map(MeterDefinitionService::answer).toList());
        answer.field("undefined", undefined);
        return answer;
    }
}
