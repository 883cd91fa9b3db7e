package dev.meterstream.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cassandra stopped for 30 seconds mid-stream, then started again: meanwhile the sink reports unhealthy and commits
 * nothing; afterwards it catches up, and the views equal what is computed directly from the input. This test
 * starts (and stops) a Cassandra node of its own, since it must stop it.
 */
@ExtendWith(InfraExtension.class)
class SinkOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void shouldPauseReportUnhealthyAndCatchUpExactlyWhenCassandraIsDownFor30Seconds(
            final KafkaEndpoint kafka, @TempDir final Path dir) throws Exception {
        try (CassandraNode cassandra = CassandraNode.start(CassandraSettings.ephemeral(dir.resolve("cassandra")));
             SinkFixture fixture = new SinkFixture(kafka, dir.resolve("state"));
             CassandraSink sink = fixture.startSink(SinkFixture.sinkSettings(cassandra, "views", "outage", 50_000),
                     CassandraSink.BeforeCommit.NOTHING)) {
            fixture.send(3_000);
            Await.until("the sink to write the first events", WAIT, () -> fixture.processed()
                    && fixture.written("outage"));
            assertTrue(sink.healthy(), sink.status());

            cassandra.stop();
            final long stoppedAt = System.nanoTime();
            fixture.send(3_000);
            Await.until("the sink to report Cassandra unavailable", WAIT, () -> !sink.healthy());
            final long committedWhileDown = fixture.committed("outage");
            // The outage itself: 30 s in which the sink must stay unhealthy and commit nothing it has not written.
            Await.until("Cassandra to have been down for " + OUTAGE, OUTAGE.plusSeconds(30), () -> {
                assertFalse(sink.healthy(), "healthy while Cassandra is down: " + sink.status());
                assertEquals(committedWhileDown, fixture.committed("outage"), "committed offsets moved while "
                        + "nothing could be written");
                return System.nanoTime() - stoppedAt >= OUTAGE.toNanos();
            });
            assertTrue(sink.status().startsWith("Cassandra unavailable"), sink.status());
            Await.until("the processor to process the records sent during the outage", WAIT, fixture::processed);

            cassandra.restart();
            Await.until("the sink to catch up after Cassandra returned", WAIT,
                    () -> fixture.written("outage") && sink.healthy());
            final Map<String, Set<String>> expected = ViewTables.expected(fixture.distinct().values(),
                    fixture.logIds());
            try (CqlSession session = cassandra.openSession()) {
                CassandraSinkIT.assertTables(ViewTables.readerView(expected),
                        ViewTables.readerView(ViewTables.read(session, "views")));
            }
        }
    }
}
