package dev.meterstream.support.auth;

import java.util.Locale;
import java.util.Optional;

/** What a key may do: each key has exactly one scope, and each API takes only its own. */
public enum Scope {
    /** Send usage to ingest-api. */
    INGEST,
    /** Read a tenant's usage from query-api. */
    QUERY,
    /** All QUERY may, and change the tenant's meters and keys on query-api. */
    ADMIN;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code text} ("ingest", "query", "admin"), any case. */
    public static Optional<Scope> parse(final String text) {
        for (final Scope scope : values()) {
            if (scope.name().equalsIgnoreCase(text)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
