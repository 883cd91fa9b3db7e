package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.support.cassandra.CassandraGrants;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/**
 * A cluster's schema job (deploy/kubernetes/cassandra/schema-job.yaml): applies the views' migrations and the
 * services' grants ({@link CassandraGrants}) as an administrator role, then exits, so that neither service's role
 * needs the right to change the schema. It reads the processor's settings ({@code cassandra.*}, with the
 * administrator's {@code cassandra.username} and {@code password-file}), and the two roles to grant to from
 * {@code schema.processor-role} and {@code schema.query-role}; the roles must exist. Safe to run again.
 */
public final class SchemaSetup {
    private SchemaSetup() {
    }

    public static void main(final String[] args) {
        LogConfig.configureRuntime();
        final Config config = ServiceConfig.load(ProcessorSettings.DEFAULTS);
        final CqlConnection cassandra = CqlConnection.from(config.get("cassandra"));
        try (CqlSession session = cassandra.open()) {
            final int applied = CqlSchema.apply(session, cassandra.keyspace());
            for (final String grant : CassandraGrants.statements(cassandra.keyspace().name(),
                    config.get("schema.processor-role").asString().get(),
                    config.get("schema.query-role").asString().get())) {
                session.execute(grant);
            }
            System.out.println("schema: " + applied + " migration(s) applied to keyspace "
                    + cassandra.keyspace().name() + "; grants given");
        }
    }
}
