package dev.meterstream.support.auth;

import io.helidon.webserver.http.ServerRequest;

/**
 * The tenant whose API key authenticated a request, as {@link ApiKeyFilter} leaves it in the request's context for
 * the handlers behind it.
 *
 * @param id the tenant's slug
 */
public record Tenant(String id) {
    /** The authenticated tenant of a request under {@code /api/}; only the filter's absence makes this fail. */
    public static String of(final ServerRequest request) {
        return request.context().get(Tenant.class).map(Tenant::id).orElseThrow(() -> new IllegalStateException(
                "no tenant in the request's context: is ApiKeyFilter registered before " + request.path().path()
                        + "?"));
    }
}
