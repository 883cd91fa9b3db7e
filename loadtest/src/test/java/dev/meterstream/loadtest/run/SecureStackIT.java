package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.cassandra.CassandraAdmin;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSecurity;
import dev.meterstream.infra.dev.ConfigOverrides;
import dev.meterstream.infra.dev.DevStack;
import dev.meterstream.infra.dev.StackLayout;
import dev.meterstream.infra.kafka.KafkaSecurity;
import dev.meterstream.infra.process.Await;
import dev.meterstream.schema.Views;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.cassandra.CqlSecurity;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dev up --secure} end to end: an event posted over HTTPS reaches the views through Kafka (SASL_SSL, each
 * service with only its ACLs) and Cassandra (TLS, a role per service), and is read back over HTTPS; then, at each
 * hop, a client without TLS, without a login or without the right is refused.
 */
class SecureStackIT {
    private static final Path ROOT = Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldCountAnEventThroughEverySecuredHopAndRefuseClientsWithoutTlsLoginOrRight(@TempDir final Path workDir)
            throws Exception {
        final String ingestKey = ApiKeys.generateKey();
        final String queryKey = ApiKeys.generateKey();
        final Path dataDir = workDir.resolve("data");
        final StackLayout layout = new StackLayout(dataDir, 1, true,
                Files.writeString(workDir.resolve("ingest-keys"), ApiKeys.sha256(ingestKey) + " acme\n"),
                Files.writeString(workDir.resolve("query-keys"), ApiKeys.sha256(queryKey) + " acme\n"),
                Files.writeString(workDir.resolve("admin-keys"), ""), ConfigOverrides.NONE, Optional.empty())
                .secured();
        try (DevStack stack = new DevStack(ROOT, layout, System.out)) {
            stack.start();
            final HttpClient https = stack.httpClient();
            final String ingest = stack.url("ingest-api");
            final String query = stack.url("query-api");
            assertTrue(ingest.startsWith("https://") && query.startsWith("https://"), ingest + " " + query);

            // The whole pipeline, secured.
            final Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            final String event = JSON.createObjectNode().put("id", "secure-1").put("subject", "s-1")
                    .put("meter", "api.calls").put("quantity", 3).put("timestamp", at.toString()).toString();
            final HttpResponse<String> accepted = https.send(HttpRequest.newBuilder(URI.create(ingest + "/api/usages"))
                    .header("Authorization", "Bearer " + ingestKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            final JsonNode stored = Await.untilValue("the event in the views", WAIT, () -> {
                final HttpResponse<String> answer = https.send(HttpRequest.newBuilder(URI.create(query
                        + "/api/usages/secure-1")).header("Authorization", "Bearer " + queryKey).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
            });
            assertEquals("s-1", stored.get("events").get(0).get("subject").textValue(), stored.toString());

            // Each hop refuses what it must; every check runs, so a failure names each hop that let a client in.
            final String bootstrap = stack.kafka().bootstrapServers();
            final KafkaSecurity kafkaSecurity = stack.kafka().settings().security().orElseThrow();
            final KafkaConnection ingestUser = as(bootstrap, kafkaSecurity, "ingest-api",
                    Files.readString(dataDir.resolve("secure/secrets/kafka-ingest-api.password")).trim());
            final CassandraNode cassandra = stack.cassandra();
            final CassandraSecurity cqlSecurity = cassandra.settings().security().orElseThrow();
            final Path builtInPassword = Files.writeString(workDir.resolve("builtin"), "cassandra");
            final String views = ServiceConfig.keyspace() + "." + Views.VIEW_PROGRESS.name();
            final HttpClient plainHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertAll("refused at each hop",
                    // HTTP: both APIs speak TLS only.
                    () -> {
                        for (final String base : List.of(ingest, query)) {
                            final URI plain = URI.create(base.replace("https://", "http://")
                                    + "/observe/health/ready");
                            assertThrows(IOException.class, () -> plainHttp.send(HttpRequest.newBuilder(plain)
                                    .timeout(Duration.ofSeconds(10)).GET().build(),
                                    HttpResponse.BodyHandlers.ofString()), "plaintext HTTP answered at " + plain);
                        }
                    },
                    // Kafka: no TLS, a wrong password, and a service beyond its ACLs.
                    () -> {
                        final ExecutionException plaintext = assertThrows(ExecutionException.class, () -> describe(
                                KafkaConnection.plain(bootstrap)), "a plaintext Kafka client was answered");
                        assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class,
                                plaintext.getCause());
                    },
                    () -> {
                        final ExecutionException wrongPassword = assertThrows(ExecutionException.class, () ->
                                describe(as(bootstrap, kafkaSecurity, "ingest-api", "not-the-password")),
                                "a wrong SCRAM password was let in");
                        assertInstanceOf(SaslAuthenticationException.class, wrongPassword.getCause());
                    },
                    () -> {
                        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ingestUser.config(Map.of(
                                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000")), new ByteArraySerializer(),
                                new ByteArraySerializer())) {
                            final ExecutionException write = assertThrows(ExecutionException.class, () ->
                                    producer.send(new ProducerRecord<>(Topics.EVENTS, new byte[1])).get(),
                                    "ingest-api wrote the canonical log");
                            assertInstanceOf(TopicAuthorizationException.class, write.getCause());
                        }
                    },
                    () -> {
                        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ingestUser.config(Map.of()),
                                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                            consumer.assign(List.of(new TopicPartition(Topics.RAW, 0)));
                            consumer.seekToBeginning(consumer.assignment());
                            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(
                                    Duration.ofSeconds(10)), "ingest-api read the raw topic it may only write");
                        }
                    },
                    // The KRaft quorum: TLS that trusts the CA but shows no node certificate is not let in.
                    () -> {
                        final Map<String, Object> config = new HashMap<>(Map.of(
                                AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "127.0.0.1:"
                                        + stack.kafka().settings().controllerPorts().get(0),
                                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL",
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000"));
                        kafkaSecurity.clientWithoutCredentials().entrySet().stream()
                                .filter(entry -> entry.getKey().startsWith("ssl."))
                                .forEach(entry -> config.put(entry.getKey(), entry.getValue()));
                        try (Admin admin = Admin.create(config)) {
                            final ExecutionException quorum = assertThrows(ExecutionException.class, () ->
                                    admin.describeCluster().nodes().get(),
                                    "the quorum answered a client without a node certificate");
                            // The handshake itself fails, before any request is read (not a refused request).
                            assertInstanceOf(SslAuthenticationException.class, quorum.getCause());
                        }
                    },
                    // Cassandra: no TLS, no login, the built-in role, and query-api changing the views.
                    // With the admin's own login, so that only the missing TLS can be what refuses it.
                    () -> assertThrows(AllNodesFailedException.class, () -> cassandra.openSession(new CqlSecurity(
                            Optional.of(CassandraSecurity.ADMIN_ROLE), Optional.of(cqlSecurity.adminPasswordFile()),
                            Optional.empty(), Optional.empty())).close(), "a plaintext CQL session was let in"),
                    () -> {
                        final AllNodesFailedException anonymous = assertThrows(AllNodesFailedException.class, () ->
                                cassandra.openSession(cqlSecurity.as(Optional.empty(), Optional.empty())).close(),
                                "a CQL session without a login was let in");
                        assertTrue(CassandraAdmin.refusedLogin(anonymous), "no login: " + anonymous.getAllErrors());
                    },
                    () -> {
                        final AllNodesFailedException builtIn = assertThrows(AllNodesFailedException.class, () ->
                                cassandra.openSession(cqlSecurity.as(Optional.of("cassandra"),
                                        Optional.of(builtInPassword))).close(),
                                "the built-in cassandra role still logs in");
                        assertTrue(CassandraAdmin.refusedLogin(builtIn), "built-in role: " + builtIn.getAllErrors());
                    },
                    () -> {
                        try (CqlSession reader = cassandra.openSession(cqlSecurity.as(Optional.of("query-api"),
                                Optional.of(dataDir.resolve("secure/secrets/cassandra-query-api.password"))))) {
                            reader.execute("SELECT * FROM " + views + " LIMIT 1");
                            assertThrows(UnauthorizedException.class, () -> reader.execute("TRUNCATE " + views),
                                    "query-api may change the views");
                        }
                    });
        }
    }

    private static void describe(final KafkaConnection kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.config(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000")))) {
            admin.describeCluster().nodes().get();
        }
    }

    private static KafkaConnection as(final String bootstrap, final KafkaSecurity security, final String user,
                                      final String password) {
        return new KafkaConnection(bootstrap, security.clientAs(user, password));
    }

}
