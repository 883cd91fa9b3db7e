package dev.meterstream.infra.dev;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSecurity;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSecurity;
import dev.meterstream.infra.process.Modules;
import dev.meterstream.infra.secure.KafkaGrants;
import dev.meterstream.infra.secure.Secrets;
import dev.meterstream.infra.secure.LocalCa;
import dev.meterstream.support.cassandra.CassandraGrants;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Security on every hop of a {@link DevStack} ({@code ./dev up --secure}): a local CA's certificates for the brokers,
 * Cassandra and both APIs; a SCRAM user per service on Kafka with only {@link KafkaGrants}' rights; a Cassandra role
 * per service (the processor reads and writes the views, query-api may only read them); and each service's settings, its
 * passwords in owner-only files and never on a command line. Everything lives under {@code <data>/secure}, so a
 * restart keeps its users, roles and certificates.
 */
final class StackSecurity {
    private static final long ADMIN_TIMEOUT_SECONDS = 60;
    private static final int SCRAM_ITERATIONS = 8192;

    private final Path root;
    private final LocalCa ca;
    private final Secrets secrets;
    private final ConfigOverrides overrides;

    StackSecurity(final Path root, final Path dataDir, final ConfigOverrides overrides) {
        this.root = root;
        this.ca = LocalCa.in(dataDir.resolve("secure/ca"));
        this.secrets = Secrets.in(dataDir.resolve("secure/secrets"));
        this.overrides = overrides;
    }

    KafkaSecurity kafka() {
        return new KafkaSecurity(ca.keystore(KafkaSecurity.BROKER_USER), ca.password(), ca.truststore(),
                secrets.password("kafka-" + KafkaSecurity.BROKER_USER),
                secrets.password("kafka-" + KafkaSecurity.ADMIN_USER));
    }

    CassandraSecurity cassandra() {
        return new CassandraSecurity(ca.keystore("cassandra"), ca.password(), ca.truststore(),
                secrets.file("cassandra-" + CassandraSecurity.ADMIN_ROLE));
    }

    /** What clients of the APIs trust: the local CA. */
    SSLContext clientTls() {
        return ca.clientContext();
    }

    /** The CA's certificate, PEM (curl --cacert). */
    Path caCertificate() {
        return ca.certificate();
    }

    /**
     * Each service's SCRAM user (its password made on first use), the ACLs of all of them, and the topics that
     * must exist before the edge starts.
     */
    void grantKafka(final KafkaCluster kafka) {
        final List<UserScramCredentialAlteration> users = new ArrayList<>();
        for (final Service service : Service.ALL) {
            users.add(new UserScramCredentialUpsertion(service.module(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                    secrets.password("kafka-" + service.module())));
        }
        final Config processor = processorConfig();
        try (Admin admin = Admin.create(kafka.connection().config())) {
            // The topics the edge needs before it can start, made as an operator would: ingest-api may not create
            // any topic, and it may start before the processor has made the raw one.
            TopicSetup.ensure(admin, TopicSpec.raw(processor.get(ServiceConfig.RAW_PARTITIONS).asInt().get(),
                    ServiceConfig.rawRetention(processor)));
            TopicSetup.ensure(admin, TopicSpec.apiKeys());
            admin.alterUserScramCredentials(users).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            admin.createAcls(KafkaGrants.all(processor.get("processor.application-id").asString().get(),
                    processor.get("sink.group-id").asString().get())).all().get(ADMIN_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot make the services' Kafka users and ACLs: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the services' Kafka users", e);
        }
    }

    /**
     * The services' Cassandra roles, after the launcher (as admin) has applied the schema: the processor's sink
     * reads and writes the views (its own schema check finds every migration applied and changes nothing), and
     * query-api may only read them. A role's password is set when the role is made (Cassandra refuses to change
     * one more often than every 5 s); both live under the same data directory.
     */
    void grantCassandra(final CassandraNode cassandra) {
        final String keyspace = ServiceConfig.keyspace();
        try (CqlSession admin = cassandra.openSession()) {
            for (final String role : List.of(Modules.STREAM_PROCESSOR, Modules.QUERY_API)) {
                admin.execute("CREATE ROLE IF NOT EXISTS \"" + role + "\" WITH PASSWORD = '"
                        + secrets.password("cassandra-" + role) + "' AND LOGIN = true");
            }
            for (final String grant : CassandraGrants.statements(keyspace, Modules.STREAM_PROCESSOR,
                    Modules.QUERY_API)) {
                admin.execute(grant);
            }
        }
    }

    /** Whether {@code service}'s HTTP port serves TLS: both APIs do; the processor's health port does not. */
    static boolean servesTls(final Service service) {
        return !service.module().equals(Modules.STREAM_PROCESSOR);
    }

    /** The JVM arguments that give {@code service} its TLS, users and files (no password among them). */
    List<String> jvmArgs(final Service service) {
        final List<String> args = new ArrayList<>();
        final String module = service.module();
        args.add("-Djava.security.auth.login.config=" + secrets.writePrivate(module + ".jaas",
                KafkaSecurity.clientJaas(module, secrets.password("kafka-" + module))));
        kafka().clientWithoutCredentials().forEach((key, value) ->
                args.add("-D" + ServiceConfig.KAFKA_CLIENT + "." + key + "=" + value));
        if (!module.equals(Modules.INGEST_API)) {
            args.add("-Dcassandra.username=" + module);
            args.add("-Dcassandra.password-file=" + secrets.file("cassandra-" + module));
            args.add("-Dcassandra.ssl.truststore=" + ca.truststore());
        }
        if (servesTls(service)) {
            args.add("-Dserver.tls-keystore=" + ca.keystore(module));
            args.add("-Dserver.tls-password-file=" + ca.passwordFile());
        }
        return args;
    }

    /**
     * The processor's configuration as it will run: the overrides of this run over its built defaults file, so
     * that the ACLs name the same application id and sink group it uses.
     */
    private Config processorConfig() {
        return Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .sources(ConfigSources.create(overrides.values()),
                        ConfigSources.file(root.resolve("stream-processor/target/classes/stream-processor.yaml")),
                        ConfigSources.classpath(ServiceConfig.SHARED))
                .build();
    }
}
