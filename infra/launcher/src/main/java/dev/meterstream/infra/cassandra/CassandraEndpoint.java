package dev.meterstream.infra.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A running Cassandra node, however it was started (a process here, a container where Docker exists). */
public interface CassandraEndpoint extends AutoCloseable {
    /** Where CQL clients connect. */
    InetSocketAddress contactPoint();

    /** The local datacenter name the driver must be given. */
    String datacenter();

    /** A new driver session, with timeouts generous enough for a busy 2-core machine; the caller closes it. */
    default CqlSession openSession() {
        return CqlSession.builder()
                .addContactPoint(contactPoint())
                .withLocalDatacenter(datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    @Override
    void close();
}
