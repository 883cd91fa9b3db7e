package dev.meterstream.support.auth;

import io.helidon.webserver.http.ServerRequest;

/**
 * The tenant whose API key authenticated a request, as {@link ApiKeyFilter} leaves it in the request's context for
 * the handlers behind it.
 *
 * @param id    the tenant's slug
 * @param scope the key's scope (an admin key may change the tenant's meters and keys)
 */
public record Tenant(String id, Scope scope) {
    public boolean admin() {
        return scope == Scope.ADMIN;
    }

    /** The authenticated tenant of a request under {@code /api/}; only the filter's absence makes this fail. */
    public static String of(final ServerRequest request) {
        return request.context().get(Tenant.class).map(Tenant::id).orElseThrow(() -> new IllegalStateException(
                "no tenant in the request's context: is ApiKeyFilter registered before " + request.path().path()
                        + "?"));
    }

    /** Whether the request's key was one of its tenant's admin keys. */
    public static boolean isAdmin(final ServerRequest request) {
        return request.context().get(Tenant.class).map(Tenant::admin).orElse(false);
    }
}
