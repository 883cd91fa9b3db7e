package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of its own, stopped under a running ingest-api: requests get 503 with Retry-After, never a 202 and never
 * a hang, and once the broker is back requests are accepted again.
 */
class KafkaOutageIT {
    /** send-timeout (2 s) plus slack for a busy machine: the bound on any answer while Kafka is down. */
    private static final Duration MAX_ANSWER_WHILE_DOWN = Duration.ofSeconds(5);
    private static final String EVENT = "{\"id\":\"outage-1\",\"subject\":\"s\",\"meter\":\"outage\"}";

    @Test
    void shouldAnswer503WhileTheBrokerIsDownAndAcceptAgainAfterItReturns(@TempDir final Path dir) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(KafkaSettings.ephemeral(1, dir));
             IngestServer server = IngestIT.startServer(cluster.bootstrapServers())) {
            assertEquals(202, IngestIT.post(server, "application/json", EVENT).statusCode());

            cluster.stop(0);
            final AtomicLong slowest = new AtomicLong();
            // Until the reachability check notices, a request waits at most send-timeout; after, it is refused at once.
            Await.until("503s to become immediate once Kafka is known to be down", Duration.ofSeconds(60), () -> {
                final long started = System.nanoTime();
                final HttpResponse<String> answer = IngestIT.post(server, "application/json", EVENT);
                final long took = System.nanoTime() - started;
                slowest.accumulateAndGet(took, Math::max);
                assertEquals(503, answer.statusCode(), "while the broker is down: " + answer.body());
                assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "503 must carry Retry-After");
                assertTrue(answer.body().contains("\"status\":503"), answer.body());
                return took < Duration.ofMillis(500).toNanos() && answer.body().contains("Kafka is unreachable");
            });
            assertEquals(503, IngestIT.get(server, "/observe/health/ready").statusCode(),
                    "readiness must be down while Kafka is unreachable");
            assertTrue(slowest.get() < MAX_ANSWER_WHILE_DOWN.toNanos(),
                    "slowest answer while down: " + slowest.get() / 1_000_000 + " ms");

            cluster.restart(0);
            Await.until("requests to be accepted again after the broker returned", Duration.ofSeconds(90),
                    () -> IngestIT.post(server, "application/json", EVENT).statusCode() == 202);
            assertEquals(200, IngestIT.get(server, "/observe/health/ready").statusCode());
        }
    }
}
