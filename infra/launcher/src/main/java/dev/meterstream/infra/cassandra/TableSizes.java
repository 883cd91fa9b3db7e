package dev.meterstream.infra.cassandra;

import dev.meterstream.infra.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What tables take on disk: each is flushed first (a short run's rows are otherwise still in memtables), then its
 * live SSTables' size is read, compressed as stored, before any compaction. Through the node's loopback JMX, as
 * {@code nodetool flush} and {@code nodetool tablestats} do.
 */
public final class TableSizes {
    private TableSizes() {
    }

    /** Bytes on disk per table of {@code keyspace}, in the order asked, after a flush of those tables. */
    public static Map<String, Long> flushAndRead(final CassandraNode node, final String keyspace,
                                                 final List<String> tables) {
        final int port = node.settings().jmxPort();
        if (port == 0) {
            throw new IllegalStateException("the Cassandra node was started without JMX (CassandraSettings.withJmx)");
        }
        final Map<String, Long> sizes = new LinkedHashMap<>();
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://" + Ports.LOOPBACK + ":" + port + "/jmxrmi"))) {
            final MBeanServerConnection beans = connector.getMBeanServerConnection();
            // Blocks until the flush is written.
            beans.invoke(new ObjectName("org.apache.cassandra.db:type=StorageService"), "forceKeyspaceFlush",
                    new Object[] {keyspace, tables.toArray(String[]::new)},
                    new String[] {String.class.getName(), String[].class.getName()});
            for (final String table : tables) {
                final ObjectName live = new ObjectName("org.apache.cassandra.metrics:type=Table,keyspace=" + keyspace
                        + ",scope=" + table + ",name=LiveDiskSpaceUsed");
                sizes.put(table, ((Number) beans.getAttribute(live, "Count")).longValue());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("JMX of the Cassandra node on port " + port, e);
        } catch (final JMException e) {
            throw new IllegalStateException("JMX of the Cassandra node on port " + port + ": " + e, e);
        }
        return sizes;
    }
}
