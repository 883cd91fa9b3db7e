package dev.meterstream.infra.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.support.cassandra.CqlSecurity;
import dev.meterstream.support.config.ServiceConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A running Cassandra node, however it was started (a process here, a container where Docker exists). */
public interface CassandraEndpoint extends AutoCloseable {
    /** Where CQL clients connect. */
    InetSocketAddress contactPoint();

    /** The local datacenter name the driver must be given. */
    String datacenter();

    /**
     * A new driver session (statements name their keyspace), with timeouts generous enough for a busy 2-core
     * machine; the caller closes it.
     */
    default CqlSession openSession() {
        return openSession(security());
    }

    /** As {@link #openSession()}, logged in (or not) as {@code security} says: for tests of what a role may do. */
    default CqlSession openSession(final CqlSecurity security) {
        return new CqlConnection(List.of(contactPoint()), datacenter(),
                CqlSchema.Keyspace.local(ServiceConfig.keyspace()), DefaultConsistencyLevel.ONE,
                Duration.ofSeconds(20), security).open();
    }

    /** How a client with full rights logs in: not at all on a plain node, as the admin role on a secure one. */
    default CqlSecurity security() {
        return CqlSecurity.NONE;
    }

    @Override
    void close();
}
