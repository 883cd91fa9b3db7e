package dev.meterstream.support.auth;

import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemResponses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * Authentication for every route under {@code /api/}: the request's {@code Authorization: Bearer <key>} must be a
 * known, active key of a scope this API takes ({@link Authenticator}), whose tenant and scope are then registered in
 * the request's context ({@link Tenant#of}); otherwise the answer is a 401 problem and no handler runs. The key is
 * never logged. Health, metrics and the analysts' page are outside {@code /api/} and open.
 */
public final class ApiKeyFilter implements Filter {
    /** The path prefix this filter guards. */
    public static final String GUARDED = "/api/";

    /** Told of each request refused, so that a service counts it beside the ones its handlers answer. */
    @FunctionalInterface
    public interface Refusals {
        void refused(int status, long startedNanos);
    }

    private final Authenticator keys;
    private final String keyKind;
    private final Refusals refusals;

    /**
     * @param keys     the keys this API takes, and their tenants and scopes
     * @param keyKind  what the client should send, in the 401's detail ("API key", "analyst key")
     * @param refusals told of each refusal
     */
    public ApiKeyFilter(final Authenticator keys, final String keyKind, final Refusals refusals) {
        this.keys = keys;
        this.keyKind = keyKind;
        this.refusals = refusals;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest request, final RoutingResponse response) {
        if (!request.prologue().uriPath().path().startsWith(GUARDED)) {
            chain.proceed();
            return;
        }
        final long started = System.nanoTime();
        final Optional<Tenant> tenant = keys.authenticate(request.headers().first(HeaderNames.AUTHORIZATION)
                .orElse(null));
        if (tenant.isEmpty()) {
            refusals.refused(ProblemResponses.send(response, Problem.of(401, "unauthorized", "Unauthorized",
                    "send a known " + keyKind + " as 'Authorization: Bearer <key>'"), null), started);
            return;
        }
        request.context().register(tenant.get());
        chain.proceed();
    }
}
