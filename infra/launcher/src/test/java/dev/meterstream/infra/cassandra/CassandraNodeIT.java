package dev.meterstream.infra.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.support.cassandra.CqlSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of a node of its own (the shared one must not be stopped by a test). */
class CassandraNodeIT {
    @Test
    void shouldKeepDataAcrossAKillAndLeaveNoProcessAfterClose(@TempDir final Path dir) {
        final CassandraNode node = CassandraNode.start(CassandraSettings.ephemeral(dir));
        try {
            try (CqlSession session = node.openSession()) {
                CqlSchema.apply(session, CqlSchema.Keyspace.local("lifecycle"));
                session.execute("CREATE TABLE lifecycle.kept (id int PRIMARY KEY, value text)");
                session.execute("INSERT INTO lifecycle.kept (id, value) VALUES (1, 'survives')");
            }
            node.kill();
            node.restart();
            try (CqlSession session = node.openSession()) {
                assertEquals("survives",
                        session.execute("SELECT value FROM lifecycle.kept WHERE id = 1").one().getString("value"));
            }
        } finally {
            final JavaProcess process = node.process();
            node.close();
            if (process != null) {
                assertFalse(process.handle().isAlive(), "cassandra still alive after close");
            }
            assertFalse(Ports.listening(node.settings().nativePort()), "CQL port still listening after close");
        }
    }
}
