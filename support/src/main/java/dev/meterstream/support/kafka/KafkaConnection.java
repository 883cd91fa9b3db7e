package dev.meterstream.support.kafka;

import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where Kafka is and how every client of a service reaches it: the bootstrap servers ({@code kafka.bootstrap-servers})
 * and the client settings each producer, consumer, admin and Streams client gets ({@code kafka.client.*}: in secure
 * mode {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}).
 * None of those is written in code, so a cluster that wants SASL_SSL, mTLS or anything else is a configuration
 * change. A client's own settings are added on top ({@link #config(Map)}) and may not replace these.
 *
 * @param bootstrapServers host:port list
 * @param client           settings every client gets, by Kafka's own names
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> client) {
    private static final String BOOTSTRAP_SERVERS = ServiceConfig.BOOTSTRAP_SERVERS;
    private static final String CLIENT = ServiceConfig.KAFKA_CLIENT;
    private static final String BOOTSTRAP = "bootstrap.servers";

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, BOOTSTRAP_SERVERS);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must name at least one host:port, was '"
                    + bootstrapServers + "'");
        }
        client = Map.copyOf(client);
        if (client.containsKey(BOOTSTRAP)) {
            throw new IllegalArgumentException(CLIENT + "." + BOOTSTRAP + " is not a client setting: set "
                    + BOOTSTRAP_SERVERS);
        }
    }

    /** A cluster reached in plaintext without authentication (tests, benchmarks, ./dev up). */
    public static KafkaConnection plain(final String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The bootstrap servers and every key under {@code kafka.client} of a service's configuration. */
    public static KafkaConnection from(final Config config) {
        return new KafkaConnection(config.get(BOOTSTRAP_SERVERS).asString().get(),
                config.get(CLIENT).detach().asMap().orElse(Map.of()));
    }

    /** A new, mutable map of a client's configuration: the bootstrap servers and the client settings. */
    public Map<String, Object> config() {
        final Map<String, Object> config = new HashMap<>(client);
        config.put(BOOTSTRAP, bootstrapServers);
        return config;
    }

    /** As {@link #config()}, with a client's own settings added; they may not replace a connection setting. */
    public Map<String, Object> config(final Map<String, ?> own) {
        final Map<String, Object> config = config();
        for (final Map.Entry<String, ?> entry : own.entrySet()) {
            if (config.containsKey(entry.getKey())) {
                throw new IllegalArgumentException("a client may not set " + entry.getKey() + ": it is part of "
                        + "the connection (" + BOOTSTRAP_SERVERS + ", " + CLIENT + ".*)");
            }
            config.put(entry.getKey(), entry.getValue());
        }
        return config;
    }

    /** The names of the settings that come from the connection. */
    public Set<String> names() {
        return config().keySet();
    }
}
