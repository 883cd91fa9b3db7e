package dev.meterstream.ingest;

import dev.meterstream.support.http.Resource;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.support.auth.Tenant;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import dev.meterstream.support.http.ProblemResponses;
import dev.meterstream.support.limits.TenantRateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /api/usages}: validates the events of a producer ({@link dev.meterstream.support.auth.ApiKeyFilter}
 * has authenticated it), applies the tenant's rate, publishes the valid events ({@link AcknowledgedSends}) and
 * answers {@code 202} only once Kafka has acknowledged every one of them ({@link UsageAnswers}). Any other answer means no event of the request
 * needs to be assumed stored, and the client may retry: copies of an event (same id) are dropped downstream.
 *
 * <p>Refusals are fast: 415/413/400 before anything is sent; 429 when the tenant is over its rate; 503 at once
 * while Kafka is unreachable or too many events await acknowledgement, else after at most {@code send-timeout}.
 */
final class UsageService implements HttpService {
    static final String PATH = "/api/usages";

    private final IngestSettings settings;
    private final EventParser parser;
    private final AcknowledgedSends sends;
    private final IngestMetrics metrics;
    private final TenantRateLimiter rateLimiter;
    private final Clock clock;

    UsageService(final IngestSettings settings, final EventPublisher publisher, final Semaphore inFlight,
                 final IngestMetrics metrics, final Clock clock) {
        this.settings = settings;
        this.parser = new EventParser(settings.rules());
        this.sends = new AcknowledgedSends(publisher, inFlight, settings.sendTimeout(), settings.retryAfter(), metrics);
        this.metrics = metrics;
        this.rateLimiter = new TenantRateLimiter(settings::ratePerSecond);
        this.clock = clock;
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, PATH, Resource.post(this::post));
    }

    private void post(final ServerRequest request, final ServerResponse response) {
        final long started = System.nanoTime();
        int status;
        try {
            status = accept(request, response);
        } catch (final ProblemException e) {
            status = ProblemResponses.send(response, e);
        }
        metrics.request(status, started);
    }

    private int accept(final ServerRequest request, final ServerResponse response) {
        final String tenant = Tenant.of(request);
        final UsageRequest body = UsageRequest.read(request.headers(), contentLength(request),
                request.content().inputStream(), settings);
        final Instant receivedAt = clock.instant();
        final List<EventParser.Result> results = new ArrayList<>(body.events().size());
        final List<UsageEvent> valid = new ArrayList<>(body.events().size());
        final java.util.function.Supplier<String> ids = settings.generatesIds(tenant) ? UsageService::generateId : null;
        for (final var node : body.events()) {
            final EventParser.Result result = body.named(parser.parse(node, body.fields(), tenant, receivedAt, ids));
            results.add(result);
            if (result instanceof EventParser.Accepted accepted) {
                valid.add(accepted.event());
            }
        }
        metrics.rejected(results.size() - valid.size());
        if (valid.isEmpty()) {
            throw new ProblemException(UsageAnswers.refused(Problem.of(400, "invalid-event", "Invalid event",
                    body.batch() ? "no event of the batch is valid" : "the event breaks the rules listed in errors"),
                    results, body.batch()));
        }
        final Duration wait = rateLimiter.acquire(tenant, valid.size());
        if (!wait.isZero()) {
            throw new ProblemException(Problem.of(429, "rate-limited", "Too many events",
                    "tenant " + tenant + " may send " + settings.ratePerSecond(tenant) + " events per second"), wait);
        }
        final List<Acknowledgement> acknowledgements = sends.publish(valid);
        metrics.accepted(valid.size());
        final int status = body.batch() && valid.size() < results.size() ? 207 : 202;
        response.status(status == 202 ? Status.ACCEPTED_202 : Status.create(status))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.batch() ? UsageAnswers.batch(results, acknowledgements) : UsageAnswers.single(valid.getFirst(),
                        acknowledgements.getFirst()));
        return status;
    }

    /**
     * The declared body length, if any. Read as text on purpose: Helidon's typed header accessor looks up a mapper
     * in its service registry on every call, which cost a fifth of this service's CPU at load.
     */
    private static Long contentLength(final ServerRequest request) {
        final String value = request.headers().first(HeaderNames.CONTENT_LENGTH).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (final NumberFormatException e) {
            throw new ProblemException(Problem.of(400, "invalid-content-length", "Invalid Content-Length",
                    "Content-Length must be a number, was '" + value + "'"));
        }
    }

    /** A random (version 4) UUID; ThreadLocalRandom, because SecureRandom contends at this request rate. */
    private static String generateId() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        final long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
