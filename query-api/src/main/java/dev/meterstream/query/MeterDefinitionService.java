package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventRules;
import dev.meterstream.meter.MeterDefinitionJson;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import dev.meterstream.support.auth.Tenant;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import dev.meterstream.support.http.ProblemResponses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /api/meters/{slug}}: a tenant's meter definitions (issue 17). Anyone with the tenant's analyst or admin key
 * reads them; only an admin key defines, changes or deletes one. A change is answered once it is in the
 * definitions topic and read back ({@link MeterDefinitions}).
 */
final class MeterDefinitionService implements HttpService {
    private static final String JSON = "application/json";
    /** A definition is small; anything larger is refused unread. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final MeterDefinitions definitions;
    private final EventRules rules;
    private final QueryMetrics metrics;

    MeterDefinitionService(final MeterDefinitions definitions, final EventRules rules, final QueryMetrics metrics) {
        this.definitions = definitions;
        this.rules = rules;
        this.metrics = metrics;
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, "/{meter}",
                Resource.put((request, response) -> handle("meter-put", request, response, this::put)),
                Resource.get((request, response) -> handle("meter-get", request, response, this::get)),
                Resource.delete((request, response) -> handle("meter-delete", request, response, this::delete)));
    }

    /** One request: answers a status and a body, or refuses with a problem. */
    @FunctionalInterface
    private interface Action {
        Reply act(String tenant, String slug, ServerRequest request);
    }

    private record Reply(int status, ObjectNode body) {
    }

    private void handle(final String name, final ServerRequest request, final ServerResponse response,
                        final Action action) {
        final long started = System.nanoTime();
        int status;
        try {
            final Reply reply = action.act(Tenant.of(request), request.path().pathParameters().get("meter"),
                    request);
            status = reply.status();
            response.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, JSON)
                    .send(reply.body().toString().getBytes(StandardCharsets.UTF_8));
        } catch (final ProblemException e) {
            status = ProblemResponses.send(response, e);
        } catch (final MeterDefinitions.DefinitionsUnavailable e) {
            status = ProblemResponses.send(response, Problem.of(503, "definitions-unavailable",
                    "Meter definitions unavailable", "the meter definitions cannot be changed right now; try again "
                            + "shortly"), Duration.ofSeconds(1));
        }
        metrics.request(name, status, started);
    }

    private Reply put(final String tenant, final String slug, final ServerRequest request) {
        requireAdmin(request, "define or change");
        final MeterDefinitionJson.Parsed parsed = MeterDefinitionJson.parse(slug, body(request), rules);
        if (!parsed.valid()) {
            throw new ProblemException(Problem.of(400, "invalid-meter", "Invalid meter definition",
                    "the definition breaks the rules below; nothing was changed").withErrors(parsed.violations()));
        }
        final StoredMeter.Put put = definitions.put(tenant, parsed.definition());
        return new Reply(put.outcome() == StoredMeter.Outcome.CREATED ? 201 : 200, answer(put.meter()));
    }

    /** A deleted meter is answered too, marked {@code deleted}: its history stays readable. */
    private Reply get(final String tenant, final String slug, final ServerRequest request) {
        return new Reply(200, answer(definitions.get(tenant, slug).orElseThrow(() -> unknown(slug, ""))));
    }

    private Reply delete(final String tenant, final String slug, final ServerRequest request) {
        requireAdmin(request, "delete");
        return new Reply(200, answer(definitions.delete(tenant, slug).orElseThrow(() -> unknown(slug,
                " (or it is deleted already)"))));
    }

    /** The record as the API shows it: the tenant is the caller's own, so it is left out. */
    static ObjectNode answer(final StoredMeter meter) {
        final ObjectNode node = StoredMeterJson.write(meter);
        node.remove("tenant");
        return node;
    }

    private static ProblemException unknown(final String slug, final String why) {
        return new ProblemException(Problem.of(404, "unknown-meter", "Unknown meter",
                "this tenant has no meter definition " + slug + why));
    }

    private static void requireAdmin(final ServerRequest request, final String what) {
        if (!Tenant.isAdmin(request)) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden", "only an admin key may " + what
                    + " a meter; this key reads"));
        }
    }

    private static byte[] body(final ServerRequest request) {
        try (InputStream in = request.content().inputStream()) {
            final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ProblemException(Problem.of(413, "body-too-large", "Definition too large",
                        "a meter definition may be at most " + MAX_BODY_BYTES + " bytes"));
            }
            return body;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
