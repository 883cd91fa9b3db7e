package dev.meterstream.support.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static final String ANALYST = "ms_analyst";
    private static final String ADMIN = "ms_admin";
    private static final String PRODUCER = "ms_producer";
    private static final Map<Scope, ApiKeys> CONFIGURED = Map.of(
            Scope.QUERY, ApiKeys.of(Map.of(ApiKeys.sha256(ANALYST), "acme")),
            Scope.ADMIN, ApiKeys.of(Map.of(ApiKeys.sha256(ADMIN), "acme")),
            Scope.INGEST, ApiKeys.of(Map.of(ApiKeys.sha256(PRODUCER), "acme")));

    @Test
    void shouldTakeOnlyTheScopesOfItsApi() {
        final Authenticator query = new Authenticator(Set.of(Scope.QUERY, Scope.ADMIN), CONFIGURED, Optional.empty());
        assertEquals(Optional.of(new Tenant("acme", Scope.QUERY)), query.authenticate("Bearer " + ANALYST));
        assertEquals(Optional.of(new Tenant("acme", Scope.ADMIN)), query.authenticate("bearer " + ADMIN));
        assertEquals(Optional.empty(), query.authenticate("Bearer " + PRODUCER), "an ingest key reads nothing");
        final Authenticator ingest = new Authenticator(Set.of(Scope.INGEST), CONFIGURED, Optional.empty());
        assertEquals(Optional.of(new Tenant("acme", Scope.INGEST)), ingest.authenticate("Bearer " + PRODUCER));
        assertEquals(Optional.empty(), ingest.authenticate("Bearer " + ADMIN), "an admin key sends nothing");
        for (final String header : new String[] {null, "", "Bearer ", ANALYST, "Basic " + ANALYST,
                "Bearer " + ANALYST + "x"}) {
            assertEquals(Optional.empty(), query.authenticate(header), String.valueOf(header));
        }
    }

    @Test
    void shouldIssueKeysWhoseRecordsNeverHoldTheKey() {
        final Instant now = Instant.parse("2026-12-01T00:00:00Z");
        // Many keys, because about half of all secrets hold a '_' (base64url), which a reader of the key must
        // not take for the separator: the secret is everything after "ms_<id>_".
        for (int i = 0; i < 2_000; i++) {
            final StoredKey.Issued each = StoredKey.issue("acme", Scope.INGEST, now.plusSeconds(60), now);
            final String json = new String(each.stored().json(), java.nio.charset.StandardCharsets.UTF_8);
            final String secret = each.key().substring(("ms_" + each.stored().id() + "_").length());
            assertEquals(43, secret.length(), each.key());
            assertTrue(!json.contains(secret), json);
            assertEquals(Optional.of(each.stored().id()), StoredKey.idOf(each.key()));
        }
        final StoredKey.Issued issued = StoredKey.issue("acme", Scope.INGEST, now.plusSeconds(60), now);
        assertEquals(issued.stored(), StoredKey.read(issued.stored().json()));
        assertEquals(Optional.of(issued.stored().id()), StoredKey.idOf(issued.key()));
        assertTrue(issued.stored().activeAt(now.plusSeconds(59)));
        assertTrue(!issued.stored().activeAt(now.plusSeconds(60)), "expired at its expiry");
        assertTrue(!issued.stored().revoke(now).activeAt(now), "revoked");
        assertEquals(Optional.empty(), StoredKey.idOf("ms_notakey"));
        assertThrows(IllegalArgumentException.class, () -> StoredKey.read("{}".getBytes()));
    }
}
