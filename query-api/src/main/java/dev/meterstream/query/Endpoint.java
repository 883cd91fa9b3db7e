package dev.meterstream.query;

import com.datastax.oss.driver.api.core.DriverException;
import dev.meterstream.support.auth.Tenant;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import dev.meterstream.support.http.ProblemResponses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every analysts' endpoint does around its query, in one place: reads the views' freshness first, answers
 * JSON, or CSV for {@code Accept: text/csv}, always with {@code completeThrough} (the instant before which every
 * accepted event is in the views); turns a refusal into its problem and a Cassandra failure into a 503; and counts
 * the request by endpoint and status. The tenant comes from {@link dev.meterstream.support.auth.ApiKeyFilter}.
 */
final class Endpoint implements Handler {
    private static final Logger LOG = Logger.getLogger(Endpoint.class.getName());
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String JSON = "application/json";
    static final String COMPLETE_THROUGH = "completeThrough";

    /** What an endpoint does once the tenant is known: read its parameters and the views. */
    @FunctionalInterface
    interface Query {
        /** The answer, with every read of the views made through {@code reads}, which bounds them. */
        Answer<?> answer(String tenant, ServerRequest request, ViewReads reads);
    }

    /** Makes each answer's {@link ViewReads}: one per request, so its bound and deadline are the request's own. */
    @FunctionalInterface
    interface Reads {
        ViewReads start();
    }

    private final String name;
    private final Query query;
    private final Freshness freshness;
    private final QueryMetrics metrics;
    private final Reads reads;

    Endpoint(final String name, final Query query, final Freshness freshness, final QueryMetrics metrics,
             final Reads reads) {
        this.name = name;
        this.query = query;
        this.freshness = freshness;
        this.metrics = metrics;
        this.reads = reads;
    }

    @Override
    public void handle(final ServerRequest request, final ServerResponse response) {
        final long started = System.nanoTime();
        int status;
        final ViewReads answerReads = reads.start();
        try {
            // Read before the views: the answer then holds at least every event before this instant.
            final Instant completeThrough = freshness.completeThrough().orElse(null);
            final Answer<?> answer = query.answer(Tenant.of(request), request, answerReads);
            if (!answer.hasField(COMPLETE_THROUGH)) { // a reused answer carries its own
                answer.field(COMPLETE_THROUGH, completeThrough);
            }
            status = 200;
            if (wantsCsv(request)) {
                response.header(HeaderNames.CONTENT_TYPE, CSV).send(answer.csv());
            } else {
                response.header(HeaderNames.CONTENT_TYPE, JSON).send(answer.json());
            }
        } catch (final ProblemException e) {
            status = ProblemResponses.send(response, e);
        } catch (final CompletionException e) {
            // A bound or deadline passed while a page was followed on a driver thread.
            if (e.getCause() instanceof ProblemException problem) {
                status = ProblemResponses.send(response, problem);
            } else if (e.getCause() instanceof DriverException driver) {
                status = viewsFailed(response, answerReads, driver);
            } else {
                throw e;
            }
        } catch (final DriverException e) {
            status = viewsFailed(response, answerReads, e);
        }
        metrics.request(name, status, started);
    }

    /** A 503: the deadline's own problem if it passed (the read timed out for it), else the views'. */
    private int viewsFailed(final ServerResponse response, final ViewReads answerReads, final DriverException e) {
        if (answerReads.expired()) {
            return ProblemResponses.send(response, answerReads.deadlinePassed());
        }
        metrics.cassandraError(name);
        LOG.log(Level.FINE, "Cassandra failed a " + name + " query", e);
        return ProblemResponses.send(response, Problem.of(503, "views-unavailable", "Views unavailable",
                "the views cannot be read right now; try again shortly"), Duration.ofSeconds(1));
    }

    private static boolean wantsCsv(final ServerRequest request) {
        return request.headers().first(HeaderNames.ACCEPT).map(accept -> accept.contains("text/csv")
                && !accept.contains("application/json")).orElse(false);
    }
}
