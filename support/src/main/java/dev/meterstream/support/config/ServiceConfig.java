package dev.meterstream.support.config;

import dev.meterstream.event.EventRules;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a service's settings come from. Each default is written once, in a file on the classpath beside a comment
 * on its key: the service's own ({@code ingest-api.yaml}, {@code stream-processor.yaml}, {@code query-api.yaml}),
 * then {@value #SHARED} for what the services share (Kafka, the raw topic, the event rules). System properties and
 * environment variables override both. The typed settings classes read every key as required, so no default is
 * written a second time in code. Each file has its service's name, so that one service's defaults can be read on a
 * classpath that holds another's (tests run the processor inside query-api's).
 */
public final class ServiceConfig {
    /** The defaults the services share. */
    public static final String SHARED = "meterstream.yaml";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    /** Settings every Kafka client of a service gets (security), by Kafka's names: see KafkaConnection. */
    public static final String KAFKA_CLIENT = "kafka.client";
    public static final String RAW_RETENTION = "topics.raw-retention";
    public static final String RAW_PARTITIONS = "topics.raw-partitions";

    private ServiceConfig() {
    }

    /** A running service's configuration: system properties, then environment variables, then the defaults. */
    public static Config load(final String defaultsResource) {
        return Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .sources(List.<Supplier<? extends ConfigSource>>of(ConfigSources.systemProperties(),
                        ConfigSources.environmentVariables(),
                        ConfigSources.classpath(defaultsResource), ConfigSources.classpath(SHARED)))
                .build();
    }

    /** The defaults with some keys set (tests and benchmarks): nothing from the environment. */
    public static Config defaults(final String defaultsResource, final Map<String, String> overrides) {
        return Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .sources(ConfigSources.create(overrides), ConfigSources.classpath(defaultsResource),
                        ConfigSources.classpath(SHARED))
                .build();
    }

    /** Only the shared defaults (benchmarks that create the raw topic without a service). */
    public static Config shared() {
        return Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .sources(ConfigSources.classpath(SHARED))
                .build();
    }

    /** The views' keyspace, as the shared defaults name it (the launcher applies the schema there). */
    public static String keyspace() {
        return shared().get("cassandra.keyspace").asString().get();
    }

    /** How long the raw topic keeps events ({@value #RAW_RETENTION}). */
    public static Duration rawRetention(final Config config) {
        return config.get(RAW_RETENTION).as(Duration.class).get();
    }

    /**
     * The event rules, from {@code events.lateness-horizon} and {@code events.future-tolerance}: the edge and the
     * processor both build theirs here, from the same keys, so they apply the same rules.
     */
    public static EventRules eventRules(final Config config) {
        return EventRules.of(config.get("events.lateness-horizon").as(Duration.class).get(),
                config.get("events.future-tolerance").as(Duration.class).get());
    }
}
