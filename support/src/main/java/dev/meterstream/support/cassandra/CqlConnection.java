package dev.meterstream.support.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a service reaches the views in Cassandra, the part of configuration the sink and query-api share.
 *
 * @param contactPoints   {@code host:port} of one or more nodes
 * @param localDatacenter the datacenter the driver sends requests to
 * @param keyspace        keyspace name and replication
 * @param consistency     consistency of reads and writes: ONE on a single local node, LOCAL_QUORUM in production
 * @param requestTimeout  how long one request may take before it is failed (and may be retried)
 * @param security        credentials and TLS, where configured ({@link CqlSecurity})
 */
public record CqlConnection(
        List<InetSocketAddress> contactPoints,
        String localDatacenter,
        CqlSchema.Keyspace keyspace,
        DefaultConsistencyLevel consistency,
        Duration requestTimeout,
        CqlSecurity security) {

    /** A connection in plaintext without authentication (tests, ./dev up). */
    public CqlConnection(final List<InetSocketAddress> contactPoints, final String localDatacenter,
                         final CqlSchema.Keyspace keyspace, final DefaultConsistencyLevel consistency,
                         final Duration requestTimeout) {
        this(contactPoints, localDatacenter, keyspace, consistency, requestTimeout, CqlSecurity.NONE);
    }

    public CqlConnection {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("cassandra.contact-point names no node");
        }
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(security, "security");
    }

    /** From the {@code cassandra} section of a service's configuration; every key is required. */
    public static CqlConnection from(final io.helidon.config.Config cassandra) {
        return new CqlConnection(
                parseContactPoints(cassandra.get("contact-point").asString().get()),
                cassandra.get("local-datacenter").asString().get(),
                new CqlSchema.Keyspace(
                        cassandra.get("keyspace").asString().get(),
                        cassandra.get("replication").asString().get()),
                parseConsistency(cassandra.get("consistency").asString().get()),
                cassandra.get("request-timeout").as(Duration.class).get(),
                CqlSecurity.from(cassandra));
    }

    /** Parses {@code host:port[,host:port...]}. */
    public static List<InetSocketAddress> parseContactPoints(final String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(point -> {
            final int colon = point.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("cassandra.contact-point must be host:port, was '" + point + "'");
            }
            return InetSocketAddress.createUnresolved(point.substring(0, colon),
                    Integer.parseInt(point.substring(colon + 1)));
        }).toList();
    }

    /** Parses a consistency level name such as {@code ONE} or {@code LOCAL_QUORUM}. */
    public static DefaultConsistencyLevel parseConsistency(final String text) {
        try {
            return DefaultConsistencyLevel.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("cassandra.consistency must be a consistency level such as ONE or "
                    + "LOCAL_QUORUM, was '" + text + "'");
        }
    }

    /**
     * A new session (not bound to the keyspace: statements name it), with start-up timeouts generous enough for a
     * busy 2-core machine. The caller closes it.
     */
    public CqlSession open() {
        final CqlSessionBuilder builder = CqlSession.builder()
                .withLocalDatacenter(localDatacenter)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, consistency.name())
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        // Keep trying to reconnect to a node that went away, at most every 2 s, so a restarted
                        // node is used again soon after it is back.
                        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
                        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
                        .build());
        contactPoints.forEach(point -> builder.addContactPoint(
                new InetSocketAddress(point.getHostString(), point.getPort())));
        security.apply(builder);
        return builder.build();
    }
}
