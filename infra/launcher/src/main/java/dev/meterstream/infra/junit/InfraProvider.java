package dev.meterstream.infra.junit;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.kafka.KafkaEndpoint;

/** Starts the real parts for tests: processes (the default, and all this machine kind can run) or containers. */
public interface InfraProvider {
    /** System property choosing the provider: {@code process} (default) or {@code testcontainers}. */
    String PROPERTY = "infra";

    KafkaEndpoint kafka(int brokers);

    CassandraEndpoint cassandra();

    static InfraProvider fromSystemProperty() {
        final String name = System.getProperty(PROPERTY, "process");
        return switch (name) {
            case "process" -> new ProcessInfra();
            case "testcontainers" -> new ContainerInfra();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be 'process' or 'testcontainers', was '"
                    + name + "'");
        };
    }
}
