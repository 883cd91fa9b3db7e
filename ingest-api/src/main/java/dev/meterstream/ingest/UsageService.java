package dev.meterstream.ingest;

import dev.meterstream.problem.ProblemException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.Violation;
import dev.meterstream.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.BufferExhaustedException;

/**
 * {@code POST /api/usages}: authenticates the producer, validates its events, publishes the valid ones and answers
 * {@code 202} only once Kafka has acknowledged every one of them. Any other answer means no event of the request
 * needs to be assumed stored, and the client may retry: copies of an event (same id) are dropped downstream.
 *
 * <p>Refusals are fast: 401/415/413/400 before anything is sent; 429 when the tenant is over its rate; 503 at once
 * while Kafka is unreachable or too many events await acknowledgement, else after at most {@code send-timeout}.
 */
final class UsageService implements HttpService {
    static final String PATH = "/api/usages";
    private static final JsonFactory JSON = new JsonFactory();

    private final IngestSettings settings;
    private final EventParser parser;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final TenantRateLimiter rateLimiter;
    private final Semaphore inFlight;
    private final Clock clock;

    UsageService(final IngestSettings settings, final EventPublisher publisher, final Semaphore inFlight,
                 final IngestMetrics metrics, final Clock clock) {
        this.settings = settings;
        this.parser = new EventParser(settings.rules());
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.rateLimiter = new TenantRateLimiter(settings::ratePerSecond);
        this.clock = clock;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post(PATH, this::post);
    }

    private void post(final ServerRequest request, final ServerResponse response) {
        final long started = System.nanoTime();
        int status;
        try {
            status = accept(request, response);
        } catch (final ProblemException e) {
            status = sendProblem(response, e);
        }
        metrics.request(status, started);
    }

    private int accept(final ServerRequest request, final ServerResponse response) {
        final String tenant = settings.apiKeys()
                .tenantFor(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))
                .orElseThrow(() -> new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                        "send a known API key as 'Authorization: Bearer <key>'")));
        final UsageRequest body = UsageRequest.read(request.headers().first(HeaderNames.CONTENT_TYPE).orElse(null),
                contentLength(request),
                request.content().inputStream(), settings);
        final Instant receivedAt = clock.instant();
        final List<EventParser.Result> results = new ArrayList<>(body.events().size());
        final List<UsageEvent> valid = new ArrayList<>(body.events().size());
        final java.util.function.Supplier<String> ids = settings.generatesIds(tenant) ? UsageService::generateId : null;
        for (final var node : body.events()) {
            final EventParser.Result result = parser.parse(node, body.fields(), tenant, receivedAt, ids);
            results.add(result);
            if (result instanceof EventParser.Accepted accepted) {
                valid.add(accepted.event());
            }
        }
        metrics.rejected(results.size() - valid.size());
        if (valid.isEmpty()) {
            throw new ProblemException(Problem.of(400, "invalid-event", "Invalid event",
                    body.batch() ? "no event of the batch is valid" : "the event breaks the rules listed in errors")
                    .withErrors(violations(results, body.batch())));
        }
        final Duration wait = rateLimiter.acquire(tenant, valid.size());
        if (!wait.isZero()) {
            throw new ProblemException(Problem.of(429, "rate-limited", "Too many events",
                    "tenant " + tenant + " may send " + settings.ratePerSecond(tenant) + " events per second"), wait);
        }
        final List<Acknowledgement> acknowledgements = publish(valid);
        metrics.accepted(valid.size());
        final int status = body.batch() && valid.size() < results.size() ? 207 : 202;
        response.status(status == 202 ? Status.ACCEPTED_202 : Status.create(status))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.batch() ? batchBody(results, acknowledgements) : singleBody(valid.getFirst(),
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

    private List<Acknowledgement> publish(final List<UsageEvent> events) {
        if (!publisher.reachable()) {
            throw unavailable("kafka-unavailable", "Kafka is unreachable; nothing was accepted");
        }
        if (!inFlight.tryAcquire(events.size())) {
            throw unavailable("overloaded", "too many events are awaiting Kafka's acknowledgement; nothing was accepted");
        }
        final long started = System.nanoTime();
        final List<CompletableFuture<Acknowledgement>> sends = new ArrayList<>(events.size());
        for (final UsageEvent event : events) {
            sends.add(publisher.publish(event).whenComplete((ack, error) -> inFlight.release()));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            throw unavailable("kafka-timeout", "Kafka did not acknowledge within " + settings.sendTimeout().toMillis()
                    + " ms; retry with the same event ids");
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof BufferExhaustedException) {
                throw unavailable("overloaded", "the producer buffer is full; nothing needs to be assumed accepted");
            }
            throw unavailable("kafka-unavailable", "Kafka refused the events (" + e.getCause().getClass().getSimpleName()
                    + "); retry with the same event ids");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("shutting-down", "the server is stopping");
        }
        metrics.sent(started);
        return sends.stream().map(CompletableFuture::join).toList();
    }

    private ProblemException unavailable(final String kind, final String detail) {
        return new ProblemException(Problem.of(503, kind, "Service unavailable", detail), settings.retryAfter());
    }

    private static List<Violation> violations(final List<EventParser.Result> results, final boolean batch) {
        final List<Violation> all = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof EventParser.Rejected rejected) {
                for (final Violation violation : rejected.violations()) {
                    all.add(batch ? new Violation("[" + i + "]" + (violation.field().isEmpty() ? "" : "."
                            + violation.field()), violation.detail()) : violation);
                }
            }
        }
        return all;
    }

    private static int sendProblem(final ServerResponse response, final ProblemException e) {
        final Problem problem = e.problem();
        response.status(Status.create(problem.status())).header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (e.retryAfter() != null) {
            response.header(HeaderNames.RETRY_AFTER,
                    Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (problem.status() == 401) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        response.send(problem.toJson());
        return problem.status();
    }

    /** A random (version 4) UUID; ThreadLocalRandom, because SecureRandom contends at this request rate. */
    private static String generateId() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        final long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static byte[] singleBody(final UsageEvent event, final Acknowledgement ack) {
        return json(json -> {
            json.writeStartObject();
            json.writeStringField("id", event.id());
            json.writeStringField("status", "accepted");
            json.writeNumberField("partition", ack.partition());
            json.writeNumberField("offset", ack.offset());
            json.writeEndObject();
        });
    }

    private static byte[] batchBody(final List<EventParser.Result> results, final List<Acknowledgement> acks) {
        return json(json -> {
            json.writeStartObject();
            json.writeNumberField("accepted", acks.size());
            json.writeNumberField("rejected", results.size() - acks.size());
            json.writeArrayFieldStart("results");
            int next = 0;
            for (int i = 0; i < results.size(); i++) {
                json.writeStartObject();
                json.writeNumberField("index", i);
                if (results.get(i) instanceof EventParser.Accepted accepted) {
                    final Acknowledgement ack = acks.get(next++);
                    json.writeStringField("id", accepted.event().id());
                    json.writeStringField("status", "accepted");
                    json.writeNumberField("partition", ack.partition());
                    json.writeNumberField("offset", ack.offset());
                } else {
                    json.writeStringField("status", "rejected");
                    Problem.writeErrors(json, ((EventParser.Rejected) results.get(i)).violations());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] json(final JsonWriter writer) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writer.write(json);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
