package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
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
        final Path root = Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath();
        final Path log = root.resolve("stream-processor/target/" + stateDir.getFileName() + "-sink-exit.log");
        try (JavaProcess processor = JavaProcess.builder("stream-processor-sink-exit-it")
                .classpath(ModuleClasspath.of(root, "stream-processor"))
                .jvmArgs("-Xmx256m", "-Dserver.port=0", "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "-Dprocessor.application-id=sink-exit-it", "-Dprocessor.state-dir=" + stateDir,
                        "-Dprocessor.topic-partitions=4", "-Dsink.group-id=sink-exit-it",
                        "-Dcassandra.contact-point=" + cassandra.contactPoint().getHostString() + ":"
                                + cassandra.contactPoint().getPort(),
                        "-Dcassandra.local-datacenter=" + cassandra.datacenter(),
                        "-Dcassandra.keyspace=sink_exit_it",
                        "-Dcassandra.replication={'class': 'NoSuchStrategy'}")
                .mainClass(Main.class.getName())
                .logFile(log)
                .start()) {
            assertEquals(Main.FAILED, processor.awaitExit(Duration.ofSeconds(120)), "see " + log);
        }
        assertTrue(Files.readString(log).contains("a part stopped for good"), "see " + log);
    }
}
