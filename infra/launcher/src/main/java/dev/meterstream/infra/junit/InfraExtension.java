package dev.meterstream.infra.junit;

import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests real Kafka and Cassandra, started once per test run (per test JVM) and shared by every
 * test class that asks: starting brokers and a Cassandra node takes seconds to tens of seconds on a small machine,
 * so starting them per class would dominate the suite.
 *
 * <p>Declare a parameter of type {@link KafkaEndpoint} (optionally {@link Brokers @Brokers(3)}) or
 * {@link CassandraEndpoint} on a test method, constructor or lifecycle method. Everything started is stopped when
 * the run ends (JUnit closes the root store), and each child process also ends on its own if the test JVM dies.
 * Tests must not stop the shared parts; a test that needs to break a broker starts its own cluster.
 */
public final class InfraExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InfraExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        final Class<?> type = parameter.getParameter().getType();
        return type == KafkaEndpoint.class || type == CassandraEndpoint.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        final ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        final InfraProvider provider = store.getOrComputeIfAbsent(InfraProvider.class,
                key -> InfraProvider.fromSystemProperty(), InfraProvider.class);
        if (parameter.getParameter().getType() == KafkaEndpoint.class) {
            final int brokers = parameter.findAnnotation(Brokers.class).map(Brokers::value).orElse(1);
            return store.getOrComputeIfAbsent("kafka-" + brokers,
                    key -> new Shared<>(provider.kafka(brokers)), Shared.class).endpoint();
        }
        return store.getOrComputeIfAbsent("cassandra",
                key -> new Shared<>(provider.cassandra()), Shared.class).endpoint();
    }

    /** Closes the endpoint when JUnit closes the root store at the end of the run. */
    private record Shared<T extends AutoCloseable>(T endpoint) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            endpoint.close();
        }
    }
}
