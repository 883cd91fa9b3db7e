package dev.meterstream.support.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.support.config.ServiceConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CqlSecurityTest {
    @Test
    void shouldBeOffByDefaultAndReadEachKeyWhenSet() {
        assertEquals(CqlSecurity.NONE, CqlSecurity.from(ServiceConfig.shared().get("cassandra")));
        final CqlSecurity secure = CqlSecurity.from(ServiceConfig.defaults(ServiceConfig.SHARED, Map.of(
                "cassandra.username", "meterstream", "cassandra.password-file", "/run/pw",
                "cassandra.ssl.truststore", "/tls/truststore.p12",
                "cassandra.ssl.truststore-password-file", "/tls/pw")).get("cassandra"));
        assertEquals(new CqlSecurity(Optional.of("meterstream"), Optional.of(Path.of("/run/pw")),
                Optional.of(Path.of("/tls/truststore.p12")), Optional.of(Path.of("/tls/pw"))), secure);
    }

    @Test
    void shouldNameTheKeysThatGoTogether() {
        final IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class, () ->
                CqlSecurity.from(ServiceConfig.defaults(ServiceConfig.SHARED, Map.of("cassandra.username", "x"))
                        .get("cassandra")));
        assertTrue(noPassword.getMessage().contains("cassandra.password-file"), noPassword.getMessage());
        final IllegalArgumentException noTruststore = assertThrows(IllegalArgumentException.class, () ->
                CqlSecurity.from(ServiceConfig.defaults(ServiceConfig.SHARED, Map.of(
                        "cassandra.ssl.truststore-password-file", "/pw")).get("cassandra")));
        assertTrue(noTruststore.getMessage().contains("without cassandra.ssl.truststore"), noTruststore.getMessage());
        assertEquals(Optional.empty(), CqlSecurity.from(ServiceConfig.defaults(ServiceConfig.SHARED, Map.of(
                "cassandra.ssl.truststore", "/t.p12")).get("cassandra")).truststorePasswordFile(),
                "a truststore without a password is allowed");
    }
}
