package dev.meterstream.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Ports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of a cluster of its own (the shared one must not be stopped by a test). */
class KafkaClusterIT {
    @Test
    void shouldLeaveNoProcessAndNoListeningPortAfterClose(@TempDir final Path dir) {
        final KafkaCluster cluster = KafkaCluster.start(KafkaSettings.ephemeral(1, dir));
        final List<JavaProcess> processes = cluster.processes();
        final int port = cluster.settings().brokerPorts().getFirst();
        assertEquals(1, processes.size());
        cluster.close();
        processes.forEach(process -> assertFalse(process.handle().isAlive(), process + " still alive"));
        assertFalse(Ports.listening(port), "port " + port + " still listening");
    }

    @Test
    void shouldRefuseADataDirectoryFormattedForAnotherBrokerCount(@TempDir final Path dir) {
        KafkaCluster.start(KafkaSettings.ephemeral(1, dir)).close();
        final IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> KafkaCluster.start(KafkaSettings.ephemeral(3, dir)));
        assertEquals(dir + " holds a 1-broker cluster, not 3; use another data directory or delete it",
                error.getMessage());
    }
}
