package dev.meterstream.support.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @Test
    void shouldFindTheTenantOfABearerKeyByItsDigest(@TempDir final Path dir) throws Exception {
        final String key = ApiKeys.generateKey();
        final Path file = dir.resolve("keys");
        Files.writeString(file, "# comment\n" + ApiKeys.sha256(key) + " acme\n\n");
        final ApiKeys keys = ApiKeys.load(file);
        assertEquals(Optional.of("acme"), keys.tenantFor("Bearer " + key));
        assertEquals(Optional.of("acme"), keys.tenantFor("bearer " + key));
        assertEquals(Optional.empty(), keys.tenantFor("Bearer " + key + "x"));
        assertEquals(Optional.empty(), keys.tenantFor(key));
        assertEquals(Optional.empty(), keys.tenantFor(null));
        assertEquals(Optional.empty(), keys.tenantFor("Bearer "));
    }

    @Test
    void shouldRefuseKeysThatAreNotDigestsAndTenantsThatAreNotSlugs() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(Map.of("plain-key", "acme")))
                .getMessage().startsWith("an API key digest must be 64 lower-case hex characters"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.of(Map.of(ApiKeys.sha256("k"), "Acme/1"))).getMessage().startsWith("a tenant must match"));
    }
}
