package dev.meterstream.support.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request's {@code Authorization: Bearer <key>} is, for one API: the keys of the scopes it takes, from the
 * shared keys topic ({@link KeyRing}) and from configuration (digests in files, each file of one scope: how load runs
 * and tests hand keys out). A key of another scope is no key here, so an ingest key reads nothing and an analyst key
 * sends nothing.
 */
public final class Authenticator {
    private final Set<Scope> scopes;
    private final Map<Scope, ApiKeys> configured;
    private final Optional<KeyRing> ring;

    /**
     * @param scopes     the scopes this API takes
     * @param configured keys from configuration, by scope (scopes this API does not take are ignored)
     * @param ring       the shared keys, if this instance follows them
     */
    public Authenticator(final Set<Scope> scopes, final Map<Scope, ApiKeys> configured, final Optional<KeyRing> ring) {
        this.scopes = Set.copyOf(scopes);
        this.configured = Map.copyOf(configured);
        this.ring = ring;
    }

    /** The tenant and scope of a header's key, if it is a known, active key of a scope this API takes. */
    public Optional<Tenant> authenticate(final String authorization) {
        final Optional<String> key = ApiKeys.keyOf(authorization);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (ring.isPresent()) {
            final Optional<StoredKey> stored = ring.get().authenticate(key.get());
            if (stored.isPresent()) {
                return scopes.contains(stored.get().scope())
                        ? Optional.of(new Tenant(stored.get().tenant(), stored.get().scope())) : Optional.empty();
            }
        }
        // Looked up by the key's SHA-256: what a lookup's time could tell is about a digest, from which no key can be
        // worked back.
        final String digest = ApiKeys.sha256(key.get());
        // The highest scope first: a digest configured as both admin and analyst key acts as admin.
        for (final Scope scope : List.of(Scope.ADMIN, Scope.QUERY, Scope.INGEST)) {
            final ApiKeys keys = configured.get(scope);
            if (keys != null && scopes.contains(scope)) {
                final Optional<String> tenant = keys.tenantOf(digest);
                if (tenant.isPresent()) {
                    return Optional.of(new Tenant(tenant.get(), scope));
                }
            }
        }
        return Optional.empty();
    }
}
