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
        Answer<?> answer(String tenant, ServerRequest request);
    }

    private final String name;
    private final Query query;
    private final Freshness freshness;
    private final QueryMetrics metrics;

    Endpoint(final String name, final Query query, final Freshness freshness, final QueryMetrics metrics) {
        this.name = name;
        this.query = query;
        this.freshness = freshness;
        this.metrics = metrics;
    }

    @Override
    public void handle(final ServerRequest request, final ServerResponse response) {
        final long started = System.nanoTime();
        int status;
        try {
            // Read before the views: the answer then holds at least every event before this instant.
            final Instant completeThrough = freshness.completeThrough().orElse(null);
            final Answer<?> answer = query.answer(Tenant.of(request), request);
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
        } catch (final DriverException | CompletionException e) {
            if (!(e instanceof DriverException) && !(e.getCause() instanceof DriverException)) {
                throw e;
            }
            metrics.cassandraError(name);
            LOG.log(Level.FINE, "Cassandra failed a " + name + " query", e);
            status = ProblemResponses.send(response, Problem.of(503, "views-unavailable", "Views unavailable",
                    "the views cannot be read right now; try again shortly"), Duration.ofSeconds(1));
        }
        metrics.request(name, status, started);
    }

    private static boolean wantsCsv(final ServerRequest request) {
        return request.headers().first(HeaderNames.ACCEPT).map(accept -> accept.contains("text/csv")
                && !accept.contains("application/json")).orElse(false);
    }
}
