package dev.meterstream.infra.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Free ports are only checked, not held, until their process binds them: a port handed out once must not be handed
 * out again, or a second call made before the first port is bound (a broker's, then its metrics agent's) could
 * give one port to two listeners.
 */
class PortsTest {
    @Test
    void shouldNeverHandOutAPortTwice() {
        final Set<Integer> seen = new HashSet<>();
        // The kernel picks from about 28,000 ephemeral ports: 2,000 picks repeat one almost surely, unless refused.
        for (int i = 0; i < 2_000; i++) {
            final int port = Ports.free(1).getFirst();
            assertTrue(seen.add(port), "port " + port + " handed out twice (call " + i + ")");
        }
    }
}
