package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.Violation;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.auth.StoredKey;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/keys}: a tenant's API keys, for its admin keys only. {@code POST} makes one (scope {@code ingest},
 * {@code query} or {@code admin}, optionally {@code expiresAt}) and answers the key itself, once; {@code GET} lists
 * them (ids, scopes, times and states, never digests); {@code DELETE /{id}} revokes one. A change is in the shared
 * keys topic and read back here before it is answered; every other instance has it within a poll
 * ({@link KeyRing}).
 */
final class KeyService implements HttpService {
    static final String PATH = "/api/keys";
    private static final String JSON = "application/json";
    static final int MAX_BODY_BYTES = 4096;

    private final KeyRing ring;
    private final QueryMetrics metrics;
    private final Clock clock;

    KeyService(final KeyRing ring, final QueryMetrics metrics, final Clock clock) {
        this.ring = ring;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void routing(final HttpRules rules) {
        Resource.route(rules, "/",
                Resource.post((request, response) -> handle("key-create", request, response, this::create)),
                Resource.get((request, response) -> handle("key-list", request, response, this::list)));
        Resource.route(rules, "/{id}",
                Resource.delete((request, response) -> handle("key-revoke", request, response, this::revoke)));
    }

    @FunctionalInterface
    private interface Action {
        Reply act(String tenant, ServerRequest request);
    }

    private record Reply(int status, JsonNode body) {
    }

    private void handle(final String name, final ServerRequest request, final ServerResponse response,
                        final Action action) {
        final long started = System.nanoTime();
        int status;
        try {
            if (!Tenant.isAdmin(request)) {
                throw new ProblemException(Problem.of(403, "forbidden", "Forbidden",
                        "only an admin key may make, list or revoke keys"));
            }
            final Reply reply = action.act(Tenant.of(request), request);
            status = reply.status();
            response.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, JSON)
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(reply.body().toString().getBytes(StandardCharsets.UTF_8));
        } catch (final ProblemException e) {
            status = ProblemResponses.send(response, e);
        } catch (final KeyRing.KeysUnavailable e) {
            status = ProblemResponses.send(response, Problem.of(503, "keys-unavailable", "Keys unavailable",
                    "the keys cannot be changed right now; try again shortly"), Duration.ofSeconds(1));
        }
        metrics.request(name, status, started);
    }

    private Reply create(final String tenant, final ServerRequest request) {
        final JsonNode body = body(request);
        final List<Violation> violations = new ArrayList<>();
        final JsonNode scopeNode = body.get("scope");
        final Scope scope = scopeNode != null && scopeNode.isTextual()
                ? Scope.parse(scopeNode.asText()).orElse(null) : null;
        if (scope == null) {
            violations.add(new Violation("scope", "is required: one of ingest, query, admin"));
        }
        Instant expiresAt = null;
        final JsonNode expires = body.get("expiresAt");
        if (expires != null && !expires.isNull()) {
            try {
                expiresAt = Instant.parse(expires.asText());
                if (!expiresAt.isAfter(clock.instant())) {
                    violations.add(new Violation("expiresAt", "must be in the future"));
                }
            } catch (final DateTimeParseException e) {
                violations.add(new Violation("expiresAt", "must be an ISO-8601 UTC instant such as "
                        + "2027-01-01T00:00:00Z"));
            }
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("scope") && !field.equals("expiresAt")) {
                violations.add(new Violation(field, "is not a field of a key (allowed: scope, expiresAt)"));
            }
        });
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.of(400, "invalid-key-request", "Invalid key request",
                    "nothing was made").withErrors(violations));
        }
        final StoredKey.Issued issued = ring.issue(tenant, scope, expiresAt);
        final ObjectNode answer = answer(issued.stored());
        answer.put("key", issued.key());
        return new Reply(201, answer);
    }

    private Reply list(final String tenant, final ServerRequest request) {
        final ArrayNode keys = JsonNodeFactory.instance.arrayNode();
        ring.of(tenant).forEach(key -> keys.add(answer(key)));
        final ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("keys", keys);
        return new Reply(200, answer);
    }

    private Reply revoke(final String tenant, final ServerRequest request) {
        final String id = request.path().pathParameters().get("id");
        final StoredKey revoked = ring.revoke(tenant, id).orElseThrow(() -> new ProblemException(Problem.of(404,
                "unknown-key", "Unknown key", "this tenant has no key with id '" + id + "'")));
        return new Reply(200, answer(revoked));
    }

    /** A key as the API shows it: never its digest. */
    private ObjectNode answer(final StoredKey key) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", key.id());
        node.put("scope", key.scope().json());
        node.put("state", key.state(clock.instant()));
        node.put("createdAt", key.createdAt().toString());
        node.put("expiresAt", key.expiresAt() == null ? null : key.expiresAt().toString());
        node.put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().toString());
        return node;
    }

    private static JsonNode body(final ServerRequest request) {
        try (InputStream in = request.content().inputStream()) {
            final byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ProblemException(Problem.of(413, "body-too-large", "Request too large",
                        "a key request may be at most " + MAX_BODY_BYTES + " bytes"));
            }
            final JsonNode node = bytes.length == 0 ? JsonNodeFactory.instance.objectNode()
                    : EventParser.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ProblemException(Problem.of(400, "invalid-key-request", "Invalid key request",
                        "the body must be a JSON object such as {\"scope\":\"ingest\"}"));
            }
            return node;
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "the body is not JSON: " + e.getOriginalMessage()));
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
