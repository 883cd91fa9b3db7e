package dev.meterstream.query;

import dev.meterstream.support.auth.ApiKeyFilter;
import dev.meterstream.support.auth.Tenant;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemResponses;
import dev.meterstream.support.limits.TenantRateLimiter;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;

/**
 * Each tenant's requests to {@code /api/} at most {@code query.limits.tenant-rate} a second (after
 * {@link ApiKeyFilter}, which names the tenant): beyond it a 429 with Retry-After, before any read of the views, so
 * one tenant's dashboards cannot take the views from the others.
 */
final class TenantRateFilter implements Filter {
    private final double rate;
    private final TenantRateLimiter limiter;
    private final ApiKeyFilter.Refusals refusals;

    TenantRateFilter(final double rate, final ApiKeyFilter.Refusals refusals) {
        this.rate = rate;
        this.limiter = new TenantRateLimiter(tenant -> rate);
        this.refusals = refusals;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest request, final RoutingResponse response) {
        final var tenant = request.context().get(Tenant.class);
        if (tenant.isEmpty()) { // not under /api/: health, metrics, the page
            chain.proceed();
            return;
        }
        final long started = System.nanoTime();
        final Duration wait = limiter.acquire(tenant.get().id(), 1);
        if (!wait.isZero()) {
            refusals.refused(ProblemResponses.send(response, Problem.of(429, "rate-limited", "Too many requests",
                    "tenant " + tenant.get().id() + " may make " + rate + " requests per second (query.limits."
                            + "tenant-rate)"), wait), started);
            return;
        }
        chain.proceed();
    }
}
