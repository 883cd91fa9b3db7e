package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream-processor whose sink thread dies ends with a non-zero status, so that its supervisor restarts it and
 * an operator sees it; before, the process ran on with healthy Kafka Streams and views that never moved again.
 * The sink is made to die the simplest way: a keyspace replication Cassandra refuses, which no retry can fix.
 */
@ExtendWith(InfraExtension.class)
class SinkFailureExitIT {
    @Test
    void shouldExitNonZeroWhenTheSinkThreadDies(final KafkaEndpoint kafka, final CassandraEndpoint cassandra,
                                                @TempDir final Path stateDir) throws Exception {
        final String name = "stream-processor-sink-exit-it";
        final Path log = ProcessorProcess.log(stateDir, name);
        try (JavaProcess processor = ProcessorProcess.start(name, kafka, stateDir,
                "processor.application-id=sink-exit-it", "topics.raw-partitions=4", "sink.group-id=sink-exit-it",
                "cassandra.contact-point=" + cassandra.contactPoint().getHostString() + ":"
                        + cassandra.contactPoint().getPort(),
                "cassandra.local-datacenter=" + cassandra.datacenter(), "cassandra.keyspace=sink_exit_it",
                "cassandra.replication={'class': 'NoSuchStrategy'}")) {
            assertEquals(Main.FAILED, processor.awaitExit(Duration.ofSeconds(120)), "see " + log);
        }
        assertTrue(Files.readString(log).contains("a part stopped for good"), "see " + log);
    }
}
