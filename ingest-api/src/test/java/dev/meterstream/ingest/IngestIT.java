package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.openapi.OpenApiContract;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.secure.LocalCa;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.auth.StoredKey;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ingest-api on a real broker: what it acknowledges is in Kafka, once, as sent. */
@ExtendWith(InfraExtension.class)
class IngestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static IngestServer server;
    private static KafkaEndpoint kafka;

    @BeforeAll
    static void start(final KafkaEndpoint endpoint) {
        kafka = endpoint;
        server = startServer(endpoint.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static IngestServer startServer(final String bootstrapServers) {
        return IngestServer.start(ServiceConfig.defaults(IngestSettings.DEFAULTS, Map.of("server.port", "0"))
                .get("server"), TestSettings.create(bootstrapServers));
    }

    /** Every answer the ITs get is checked against the API's OpenAPI document. */
    static final OpenApiContract API = OpenApiContract.of("ingest-api");

    /** {@code answer}, once it has been checked against the API's OpenAPI document. */
    static HttpResponse<String> checked(final HttpResponse<String> answer) {
        return API.check(answer);
    }

    static HttpResponse<String> post(final IngestServer target, final String contentType, final String body)
            throws Exception {
        return checked(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + UsageService.PATH))
                .header("Authorization", "Bearer " + TestSettings.ACME_KEY)
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    static HttpResponse<String> postAs(final IngestServer target, final String key, final String body)
            throws Exception {
        return checked(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + UsageService.PATH))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Keys of the shared keys topic, made and revoked by another reader and writer of it (as query-api's admin API
     * or ./dev keys would): an ingest key sends within 5 s, a query key never does, a revoked one stops within 5 s.
     */
    @Test
    void keysMadeAndRevokedElsewhereShouldBeInEffectWithinFiveSecondsAndOnlyForTheirScope() throws Exception {
        final String event = "{\"id\":\"%s\",\"subject\":\"s\",\"meter\":\"m\"}";
        try (KeyRing admin = KeyRing.start(KafkaConnection.plain(kafka.bootstrapServers()), "ingest-it-admin")) {
            final String key = admin.issue("acme", Scope.INGEST, null).key();
            final String queryKey = admin.issue("acme", Scope.QUERY, null).key();
            Await.until("the new ingest key to be taken", Duration.ofSeconds(5),
                    () -> postAs(server, key, event.formatted(id())).statusCode() == 202);
            assertEquals(401, postAs(server, queryKey, event.formatted(id())).statusCode(), "a query key sends nothing");
            admin.revoke("acme", StoredKey.idOf(key).orElseThrow());
            Await.until("the revoked key to be refused", Duration.ofSeconds(5),
                    () -> postAs(server, key, event.formatted(id())).statusCode() == 401);
        }
    }

    /**
     * With {@code server.tls-keystore} set (a key of the local CA, as {@code ./dev up --secure} makes), ingest-api
     * answers only TLS: a client that trusts the CA is answered, one that speaks plaintext HTTP is not.
     */
    @Test
    void shouldServeOnlyTlsWhenAKeystoreIsConfigured(@TempDir final Path dir) throws Exception {
        final LocalCa ca = LocalCa.in(dir.resolve("tls"));
        final Path password = Files.writeString(dir.resolve("password"), ca.password());
        try (IngestServer tls = IngestServer.start(ServiceConfig.defaults(IngestSettings.DEFAULTS, Map.of(
                "server.port", "0", "server.tls-keystore", ca.keystore("ingest-api").toString(),
                "server.tls-password-file", password.toString())).get("server"),
                TestSettings.create(kafka.bootstrapServers()))) {
            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(ca.truststore())) {
                trusted.load(in, ca.password().toCharArray());
            }
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            final HttpClient https = HttpClient.newBuilder().sslContext(context).build();
            final HttpResponse<String> answered = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                            + tls.port() + UsageService.PATH)).header("Authorization", "Bearer " + TestSettings.ACME_KEY)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id() + "\",\"subject\":\"s\","
                            + "\"meter\":\"m\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, answered.statusCode(), answered.body());
            assertThrows(java.io.IOException.class, () -> HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + tls.port() + UsageService.PATH)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()),
                    "plaintext HTTP gets no answer");
        }
    }

    static HttpResponse<String> get(final IngestServer target, final String path) throws Exception {
        return checked(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .header("Accept", "text/plain, application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static String id() {
        return "it-" + UUID.randomUUID();
    }

    @Test
    void everyAcknowledgedEventShouldBeInTheRawTopicOnceWithItsFieldsIntact() throws Exception {
        final Instant time = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        final Map<String, UsageEvent> expected = new HashMap<>();
        final Map<String, JsonNode> receipts = new HashMap<>();

        final String single = id();
        final HttpResponse<String> one = post(server, "application/json", """
                {"id":"%s","subject":"customer-1","meter":"api-calls","quantity":2.5,"timestamp":"%s",
                 "properties":{"region":"eu"}}""".formatted(single, time));
        assertEquals(202, one.statusCode(), one.body());
        final JsonNode receipt = JSON.readTree(one.body());
        assertEquals(single, receipt.get("id").asText());
        assertEquals("accepted", receipt.get("status").asText());
        receipts.put(single, receipt);
        expected.put(single, new UsageEvent("acme", single, "customer-1", "api-calls", 2.5, time,
                Map.of("region", "eu"), Instant.EPOCH));

        final String b1 = id();
        final String b2 = id();
        final String bad = id();
        final HttpResponse<String> mixed = post(server, "application/json", """
                [{"id":"%s","subject":"customer-2","meter":"storage","quantity":0},
                 {"id":"%s","subject":"customer-2","meter":"Bad Meter"},
                 {"id":"%s","subject":"customer-3","meter":"storage","quantity":7}]""".formatted(b1, bad, b2));
        assertEquals(207, mixed.statusCode(), mixed.body());
        final JsonNode batch = JSON.readTree(mixed.body());
        assertEquals(2, batch.get("accepted").asInt());
        assertEquals(1, batch.get("rejected").asInt());
        assertEquals("rejected", batch.get("results").get(1).get("status").asText());
        assertEquals("meter", batch.get("results").get(1).get("errors").get(0).get("field").asText());
        receipts.put(b1, batch.get("results").get(0));
        receipts.put(b2, batch.get("results").get(2));

        final String c1 = id();
        final String c2 = id();
        final HttpResponse<String> allGood = post(server, "application/cloudevents-batch+json", """
                [{"specversion":"1.0","id":"%s","source":"/it","type":"gpu.seconds","subject":"job-1",
                  "time":"%s","data":{"quantity":3600}},
                 {"specversion":"1.0","id":"%s","source":"/it","type":"gpu.seconds","subject":"job-2"}]"""
                .formatted(c1, time, c2));
        assertEquals(202, allGood.statusCode(), allGood.body());
        final JsonNode ceBatch = JSON.readTree(allGood.body());
        receipts.put(c1, ceBatch.get("results").get(0));
        receipts.put(c2, ceBatch.get("results").get(1));

        final String ce = id();
        final HttpResponse<String> cloudEvent = post(server, "application/cloudevents+json", """
                {"specversion":"1.0","id":"%s","source":"/it","type":"emails.sent","subject":"team-4",
                 "data":{"quantity":12,"properties":{"campaign":"launch"}}}""".formatted(ce));
        assertEquals(202, cloudEvent.statusCode(), cloudEvent.body());
        receipts.put(ce, JSON.readTree(cloudEvent.body()));

        final Map<String, List<ConsumerRecord<String, byte[]>>> found = readRawTopic(receipts.keySet(), bad);
        for (final String id : receipts.keySet()) {
            final List<ConsumerRecord<String, byte[]>> copies = found.getOrDefault(id, List.of());
            assertEquals(1, copies.size(), "copies of " + id);
            final ConsumerRecord<String, byte[]> record = copies.getFirst();
            assertEquals("acme/" + id, record.key());
            assertEquals(receipts.get(id).get("partition").asInt(), record.partition(), "partition of " + id);
            assertEquals(receipts.get(id).get("offset").asLong(), record.offset(), "offset of " + id);
        }
        assertEquals(List.of(), found.getOrDefault(bad, List.of()), "a rejected event must not be stored");

        final UsageEvent stored = UsageEventBytes.read(found.get(single).getFirst().value());
        final UsageEvent want = expected.get(single);
        assertEquals(new UsageEvent(want.tenant(), want.id(), want.subject(), want.meter(), want.quantity(),
                want.timestamp(), want.properties(), stored.receivedAt()), stored);
        final UsageEvent storedCe = UsageEventBytes.read(found.get(ce).getFirst().value());
        assertEquals("emails.sent", storedCe.meter());
        assertEquals(new BigDecimal("12"), storedCe.quantity());
        assertEquals(Map.of("campaign", "launch"), storedCe.properties());
        assertEquals(BigDecimal.ONE, UsageEventBytes.read(found.get(c2).getFirst().value()).quantity());
    }

    @Test
    void healthShouldReportKafkaReadyAndMetricsShouldCountRequests() throws Exception {
        assertEquals(202, post(server, "application/json", "{\"id\":\"health-1\",\"subject\":\"s\",\"meter\":\"m\"}").statusCode());
        final HttpResponse<String> health = get(server, "/observe/health/ready");
        assertEquals(200, health.statusCode(), health.body());
        final JsonNode checks = JSON.readTree(health.body());
        assertEquals("UP", checks.get("status").asText());
        assertEquals("kafka", checks.get("checks").get(0).get("name").asText());
        final HttpResponse<String> metrics = get(server, "/observe/metrics");
        assertEquals(200, metrics.statusCode());
        for (final String name : List.of("ingest_requests_total{", "ingest_request_duration_seconds_bucket{",
                "ingest_events_total{", "ingest_kafka_send_duration_seconds_bucket{",
                "ingest_kafka_buffer_available_bytes", "ingest_in_flight_events")) {
            assertTrue(metrics.body().contains(name), "metrics should contain " + name);
        }
    }

    /** Reads the raw topic from the start until every wanted id was seen, collecting every copy of each. */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> readRawTopic(
            final java.util.Set<String> wanted, final String alsoWatch) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final Map<String, List<ConsumerRecord<String, byte[]>>> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RAW));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Read until all wanted ids are seen and then until the end of every partition, so copies would show.
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    final String id = record.key().substring(record.key().indexOf('/') + 1);
                    if (wanted.contains(id) || id.equals(alsoWatch)) {
                        found.computeIfAbsent(id, k -> new ArrayList<>()).add(record);
                    }
                }
                if (found.keySet().containsAll(wanted) && !consumer.assignment().isEmpty()
                        && consumer.assignment().stream().allMatch(tp -> consumer.position(tp)
                        >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    break;
                }
            }
        }
        return found;
    }
}
