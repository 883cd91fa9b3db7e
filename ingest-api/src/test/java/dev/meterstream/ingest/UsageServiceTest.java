package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.infra.openapi.OpenApiContract;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a request is refused, through the real routes on a real server. None of these requests may reach
 * Kafka: the publisher here only records what it is given, and each test asserts it was given nothing. Accepted
 * requests are tested against a real broker in IngestIT.
 */
@ServerTest
class UsageServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final RecordingPublisher PUBLISHER = new RecordingPublisher();
    /** Every answer these tests get is checked against the API's OpenAPI document. */
    private static final OpenApiContract API = OpenApiContract.of("ingest-api");

    private final Http1Client client;
    private final int port;

    UsageServiceTest(final Http1Client client, final WebServer server) {
        this.client = client;
        this.port = server.port();
    }

    private static final IngestSettings SETTINGS = TestSettings.create("unused:9092");

    @SetUpServer
    static void server(final WebServerConfig.Builder builder) {
        IngestServer.http(builder, SETTINGS);
        builder.maxPayloadSize(2 * SETTINGS.maxBodyBytes()); // as ingest-api.yaml sets it, above the body limit
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        final IngestSettings settings = SETTINGS;
        final IngestMetrics metrics = new IngestMetrics(() -> 0.0, () -> 0);
        IngestServer.routing(builder, IngestServer.keys(settings, java.util.Optional.empty()), metrics, new UsageService(settings, PUBLISHER,
                new Semaphore(settings.maxInFlightEvents()), metrics, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @BeforeEach
    void reset() {
        PUBLISHER.published.clear();
        PUBLISHER.reachable = true;
        PUBLISHER.acknowledges = false;
    }

    private record Answer(int status, String contentType, JsonNode body, String retryAfter) {
    }

    private Answer post(final String key, final String contentType, final String body) {
        Http1ClientRequest request = client.post(UsageService.PATH);
        if (key != null) {
            request = request.header(HeaderNames.AUTHORIZATION, "Bearer " + key);
        }
        if (contentType != null) {
            request = request.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        try (Http1ClientResponse response = request.submit(body)) {
            final String text = response.as(String.class);
            final Map<String, List<String>> headers = new HashMap<>();
            response.headers().forEach(header -> headers.put(header.name(), header.allValues()));
            API.check("POST", UsageService.PATH, response.status().code(), headers, text);
            try {
                return new Answer(response.status().code(),
                        response.headers().first(HeaderNames.CONTENT_TYPE).orElse(""),
                        text.isEmpty() ? null : JSON.readTree(text),
                        response.headers().first(HeaderNames.RETRY_AFTER).orElse(null));
            } catch (final Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private Answer postJson(final String body) {
        return post(TestSettings.ACME_KEY, "application/json", body);
    }

    /** Asserts an RFC 9457 problem with this status and type, and that nothing was published. */
    private static JsonNode assertProblem(final Answer answer, final int status, final String type) {
        assertEquals(status, answer.status(), () -> "body: " + answer.body());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(status, answer.body().get("status").asInt());
        assertEquals("/problems/" + type, answer.body().get("type").asText());
        assertTrue(answer.body().hasNonNull("title"));
        assertEquals(List.of(), PUBLISHER.published, "a refused request must publish nothing");
        return answer.body();
    }

    private static List<String> errors(final JsonNode problem) {
        final List<String> errors = new ArrayList<>();
        problem.get("errors").forEach(e -> errors.add(e.get("field").asText() + ": " + e.get("detail").asText()));
        return errors;
    }

    @Test
    void shouldRefuseARequestWithoutAKey() {
        final Answer answer = post(null, "application/json", "{\"subject\":\"s\",\"meter\":\"m\"}");
        assertProblem(answer, 401, "unauthorized");
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        assertProblem(post("ms_not-a-key", "application/json", "{\"subject\":\"s\",\"meter\":\"m\"}"), 401,
                "unauthorized");
    }

    @Test
    void shouldRefuseAnUnsupportedContentType() {
        final JsonNode problem = assertProblem(post(TestSettings.ACME_KEY, "text/plain", "subject=s"), 415,
                "unsupported-media-type");
        assertEquals("Content-Type 'text/plain'; send application/json, application/cloudevents+json or "
                + "application/cloudevents-batch+json", problem.get("detail").asText());
    }

    @Test
    void shouldRefuseABodyOverTheLimit() {
        final String body = "{\"subject\":\"" + "x".repeat(5000) + "\",\"meter\":\"m\"}";
        assertProblem(postJson(body), 413, "body-too-large");
    }

    @Test
    void shouldRefuseMalformedJsonSayingWhere() {
        final JsonNode problem = assertProblem(postJson("{\"subject\": \"s\",\n \"meter\": }"), 400, "malformed-json");
        assertTrue(problem.get("detail").asText().startsWith("the body is not valid JSON at line 2, column"),
                problem.get("detail").asText());
    }

    @Test
    void shouldRefuseANumberNoDecimalCanHoldAsMalformedJsonNotA500() {
        final JsonNode problem = assertProblem(postJson("{\"id\":\"a\",\"subject\":\"s\",\"meter\":\"m\","
                + "\"quantity\":8e0000102481911520608620}"), 400, "malformed-json");
        assertTrue(!problem.get("detail").asText().contains("102481911520608620"), "the number is not repeated");
    }

    @Test
    void shouldRefuseNaNAsMalformedJson() {
        assertProblem(postJson("{\"subject\":\"s\",\"meter\":\"m\",\"quantity\":NaN}"), 400, "malformed-json");
    }

    @Test
    void shouldRefuseAnInvalidEventNamingEachField() {
        final JsonNode problem = assertProblem(postJson("""
                {"id":"e","subject":"s","meter":"m","quantity":-2,"timestamp":"2026-11-23T12:06:00Z",
                 "properties":{"note":"%s"}}""".formatted("y".repeat(300))), 400, "invalid-event");
        assertEquals(List.of(
                "quantity: must be at least 0",
                "timestamp: must not be more than 5 minutes in the future",
                "properties.note: must be at most 256 characters"), errors(problem));
    }

    @Test
    void shouldRefuseWrongTypesAndTimestampsPastTheHorizon() {
        final JsonNode problem = assertProblem(postJson("""
                {"id":"e","subject":42,"meter":"m","quantity":[1],"timestamp":"2026-01-01T00:00:00Z"}"""), 400,
                "invalid-event");
        assertEquals(List.of(
                "subject: must be a string",
                "quantity: must be a number or a decimal string like \"12.5\"",
                "timestamp: must not be older than the lateness horizon of 35 days"), errors(problem));
    }

    @Test
    void shouldRequireAClientIdUnlessTheTenantMayHaveTheServerMakeOne() {
        assertEquals(List.of("id: is required (a client-made id makes retries safe: copies of an id are counted "
                + "once)"), errors(assertProblem(postJson("{\"subject\":\"s\",\"meter\":\"m\"}"), 400,
                "invalid-event")));
        PUBLISHER.reachable = false; // past validation, the request stops at the 503, publishing nothing
        assertProblem(post(TestSettings.LEGACY_KEY, "application/json", "{\"subject\":\"s\",\"meter\":\"m\"}"),
                503, "kafka-unavailable");
    }

    @Test
    void shouldRefuseAnUnpairedSurrogateOrAControlCharacterInAnyString() {
        // The request that once froze every tenant's views: answered 202, then unwritable to Cassandra.
        final JsonNode problem = assertProblem(postJson("""
                {"id":"e\\ud800","subject":"s","meter":"m","properties":{"k":"x\\udc00","\\u0000":"v"}}"""),
                400, "invalid-event");
        assertEquals(List.of(
                "id: must be well-formed Unicode (found an unpaired surrogate U+D800 at index 1)",
                "properties.k: must be well-formed Unicode (found an unpaired surrogate U+DC00 at index 1)",
                "properties.\\u0000: must not contain control characters (found U+0000 at index 0)"), errors(problem));
        assertProblem(post(TestSettings.ACME_KEY, "application/cloudevents+json", """
                {"specversion":"1.0","id":"c","source":"/\\ud800","type":"m","subject":"s"}"""), 400,
                "invalid-event");
    }

    @Test
    void shouldRefuseABatchOverTheLimit() {
        final JsonNode problem = assertProblem(postJson("[{},{},{},{},{},{}]"), 400, "batch-too-large");
        assertEquals("a batch may hold at most 5 events; this one has 6", problem.get("detail").asText());
    }

    @Test
    void shouldRefuseAnEmptyBatch() {
        assertProblem(postJson("[]"), 400, "invalid-body");
    }

    @Test
    void shouldRefuseABatchWhoseEveryEventIsInvalidNamingItemsByIndex() {
        final JsonNode problem = assertProblem(postJson("[{\"id\":\"a\",\"subject\":\"s\"},"
                        + "{\"id\":\"b\",\"meter\":\"m\",\"subject\":\"\"}]"),
                400, "invalid-event");
        assertEquals(List.of("[0].meter: is required", "[1].subject: must not be empty"), errors(problem));
    }

    @Test
    void shouldListAtMostTenViolationsAnEventAndCountTheRestClippingEchoedNames() {
        final StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            fields.append(",\"f").append(i).append("\":1");
        }
        final String event = "{\"id\":\"a\",\"subject\":\"s\",\"meter\":\"m\"" + fields + "}";
        final JsonNode one = assertProblem(postJson(event), 400, "invalid-event");
        assertEquals(10, one.get("errors").size(), one.toString());
        assertEquals(5, one.get("errorsOmitted").asInt());
        final JsonNode batch = assertProblem(postJson("[" + event + "," + event + "]"), 400, "invalid-event");
        assertEquals(20, batch.get("errors").size());
        assertEquals(10, batch.get("errorsOmitted").asInt());
        final String longName = "n".repeat(3000);
        final JsonNode clipped = assertProblem(postJson("{\"id\":\"a\",\"subject\":\"s\",\"meter\":\"m\",\""
                + longName + "\":1}"), 400, "invalid-event");
        final String field = clipped.get("errors").get(0).get("field").asText();
        assertTrue(field.length() < 300 && field.endsWith("(2800 more characters)"), field);
    }

    @Test
    void shouldRefuseACloudEventsBatchSentAsASingleCloudEvent() {
        assertProblem(post(TestSettings.ACME_KEY, "application/cloudevents+json", "[]"), 400, "invalid-body");
        assertProblem(post(TestSettings.ACME_KEY, "application/cloudevents-batch+json", "{}"), 400, "invalid-body");
    }

    @Test
    void shouldAnswer503AtOnceWithRetryAfterWhileKafkaIsUnreachable() {
        PUBLISHER.reachable = false;
        final Answer answer = postJson("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\"}");
        assertProblem(answer, 503, "kafka-unavailable");
        assertEquals("1", answer.retryAfter());
    }

    @Test
    void shouldAnswer429WithRetryAfterForATenantOverItsRate() {
        PUBLISHER.reachable = false; // a request that gets past the rate limit stops at the 503, publishing nothing
        final String two = "[{\"id\":\"a\",\"subject\":\"s\",\"meter\":\"m\"},"
                + "{\"id\":\"b\",\"subject\":\"s\",\"meter\":\"m\"}]";
        assertProblem(post(TestSettings.LIMITED_KEY, "application/json", two), 503, "kafka-unavailable");
        final Answer limited = post(TestSettings.LIMITED_KEY, "application/json", two);
        assertProblem(limited, 429, "rate-limited");
        assertTrue(Integer.parseInt(limited.retryAfter()) >= 1);
    }

    /** One request written by hand, for what a well-behaved client cannot send; the answer is read to its end. */
    private RawAnswer raw(final String head, final byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            // Read by Content-Length: Helidon may keep the connection open whatever the request asked.
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream answerHead = new ByteArrayOutputStream();
            while (!answerHead.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                final int next = in.read();
                if (next < 0) {
                    throw new IOException("the connection ended inside the answer's head: " + answerHead);
                }
                answerHead.write(next);
            }
            final String[] lines = answerHead.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
            final Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                final String[] header = lines[i].split(":", 2);
                headers.put(header[0].trim().toLowerCase(Locale.ROOT), header[1].trim());
            }
            final String text = new String(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                    StandardCharsets.UTF_8);
            final String[] requestLine = head.split(" ", 3);
            API.check(requestLine[0], requestLine[1], Integer.parseInt(lines[0].split(" ")[1]),
                    headers.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            entry -> List.of(entry.getValue()))), text);
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers, text);
        }
    }

    private record RawAnswer(int status, Map<String, String> headers, String text) {
        JsonNode body() {
            try {
                return text.isEmpty() ? null : JSON.readTree(text);
            } catch (final IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        Answer answer() {
            return new Answer(status, headers.getOrDefault("content-type", ""), body(), headers.get("retry-after"));
        }
    }

    private static String request(final String method, final String path, final String... headers) {
        return method + " " + path + " HTTP/1.1\nHost: localhost\nConnection: close\n"
                + (headers.length == 0 ? "" : String.join("\n", headers) + "\n") + "\n";
    }

    private static byte[] gzip(final byte[] plain) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(plain);
        }
        return bytes.toByteArray();
    }

    private RawAnswer postGzip(final byte[] compressed, final String encoding) throws IOException {
        return raw(request("POST", UsageService.PATH, "Authorization: Bearer " + TestSettings.ACME_KEY,
                "Content-Type: application/json", "Content-Encoding: " + encoding,
                "Content-Length: " + compressed.length), compressed);
    }

    @Test
    void shouldServeItsOpenApiDocumentAsKeptInDocs() throws IOException {
        final RawAnswer answer = raw(request("GET", "/openapi"), new byte[0]);
        assertEquals(200, answer.status());
        assertEquals("application/yaml", answer.headers().get("content-type"));
        assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/openapi/ingest-api.yaml")),
                answer.text());
        final RawAnswer wrong = raw(request("PUT", "/openapi"), new byte[0]);
        assertEquals(List.of(405, "GET"), List.of(wrong.status(), wrong.headers().get("allow")));
    }

    @Test
    void shouldAcceptAGzipBody() throws IOException {
        PUBLISHER.acknowledges = true;
        final RawAnswer answer = postGzip(gzip("{\"id\":\"z\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":3}"
                .getBytes(StandardCharsets.UTF_8)), "gzip");
        assertEquals(202, answer.status(), () -> "body: " + answer.body());
        assertEquals("z", PUBLISHER.published.getFirst().id());
        assertEquals(0, new java.math.BigDecimal(3).compareTo(PUBLISHER.published.getFirst().quantity()));
    }

    @Test
    void shouldRefuseAGzipBodyThatInflatesPastTheLimitAfterInflatingOnlyTheLimit() throws IOException {
        // 4 KB is the limit here; 64 MB of spaces compress to about 64 KB, which Helidon takes (max-payload-size).
        final byte[] bomb = gzip(("{\"id\":\"z\",\"subject\":\"s\",\"meter\":\"m\"" + " ".repeat(1 << 26) + "}")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < 2 * SETTINGS.maxBodyBytes() * 64, "compressed " + bomb.length);
        assertProblem(postGzip(bomb, "gzip").answer(), 413, "body-too-large");
    }

    @Test
    void shouldRefuseABodyThatIsNotTheGzipItClaims() throws IOException {
        assertProblem(postGzip("{\"id\":\"z\"}".getBytes(StandardCharsets.UTF_8), "gzip").answer(), 400,
                "unreadable-body");
    }

    @Test
    void shouldAnswer415WithAcceptEncodingForAnEncodingItCannotRead() throws IOException {
        final RawAnswer answer = postGzip(new byte[] {1, 2, 3}, "br");
        assertProblem(answer.answer(), 415, "unsupported-content-encoding");
        assertEquals("gzip, identity", answer.headers().get("accept-encoding"));
    }

    @Test
    void shouldAnswer405WithAllowForAnotherMethodAndAllowForOptions() throws IOException {
        final String key = "Authorization: Bearer " + TestSettings.ACME_KEY;
        final RawAnswer delete = raw(request("DELETE", UsageService.PATH, key), new byte[0]);
        assertProblem(delete.answer(), 405, "method-not-allowed");
        assertEquals("POST", delete.headers().get("allow"));
        final RawAnswer options = raw(request("OPTIONS", UsageService.PATH, key), new byte[0]);
        assertEquals(204, options.status());
        assertEquals("POST", options.headers().get("allow"));
    }

    @Test
    void shouldAnswerTheFrameworksOwnRefusalsAsProblems() throws IOException {
        assertProblem(raw(request("GET", "/api/nothing-here", "Authorization: Bearer " + TestSettings.ACME_KEY),
                new byte[0]).answer(), 404, "not-found");
        assertProblem(raw(request("GET", "/nothing-here"), new byte[0]).answer(), 404, "not-found");
        assertProblem(raw("POST " + UsageService.PATH + " HTTP/1.1\nHost: localhost\nBad Header\n\n", new byte[0])
                .answer(), 400, "bad-request");
        assertProblem(raw(request("POST", UsageService.PATH, "Authorization: Bearer " + TestSettings.ACME_KEY,
                "Content-Type: application/json", "Content-Length: " + (4 * SETTINGS.maxBodyBytes())),
                new byte[0]).answer(), 413, "body-too-large");
    }

    @Test
    void shouldAcceptABinaryModeCloudEventSentByTheCloudEventsSdk() throws Exception {
        PUBLISHER.acknowledges = true;
        final CloudEvent event = CloudEventBuilder.v1().withId("bin-1").withSource(URI.create("/sdk"))
                .withType("gpu.seconds").withSubject("job-7").withTime(OffsetDateTime.parse("2026-11-23T11:59:00Z"))
                .withData("application/json", "{\"quantity\":2.5,\"properties\":{\"region\":\"eu\"}}"
                        .getBytes(StandardCharsets.UTF_8))
                .build();
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + UsageService.PATH)).header("Authorization", "Bearer " + TestSettings.ACME_KEY);
        final byte[][] body = new byte[1][];
        HttpMessageFactory.createWriter(request::header, bytes -> body[0] = bytes).writeBinary(event);
        final HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                request.POST(HttpRequest.BodyPublishers.ofByteArray(body[0])).build(),
                HttpResponse.BodyHandlers.ofString());
        API.check(answer);
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals("bin-1", JSON.readTree(answer.body()).get("id").asText());
        final UsageEvent published = PUBLISHER.published.getFirst();
        assertEquals(List.of("bin-1", "job-7", "gpu.seconds", "2026-11-23T11:59:00Z", "eu"), List.of(published.id(),
                published.subject(), published.meter(), published.timestamp().toString(),
                published.properties().get("region")));
        assertEquals(0, new java.math.BigDecimal("2.5").compareTo(published.quantity()));
    }

    private RawAnswer binary(final String contentType, final String body, final String... ceHeaders)
            throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final List<String> headers = new ArrayList<>(List.of("Authorization: Bearer " + TestSettings.ACME_KEY,
                "Content-Length: " + bytes.length));
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        headers.addAll(List.of(ceHeaders));
        return raw(request("POST", UsageService.PATH, headers.toArray(String[]::new)), bytes);
    }

    @Test
    void shouldReadPercentEncodedHeadersAndCountAnEventWithoutDataAsOne() throws IOException {
        PUBLISHER.acknowledges = true;
        final RawAnswer answer = binary(null, "", "ce-specversion: 1.0", "ce-id: b%C3%BC-2", "ce-source: /raw",
                "ce-type: m", "ce-subject: caf%C3%A9%20bar");
        assertEquals(202, answer.status(), () -> "body: " + answer.body());
        assertEquals(List.of("bü-2", "café bar"), List.of(PUBLISHER.published.getFirst().id(),
                PUBLISHER.published.getFirst().subject()));
        assertEquals(0, java.math.BigDecimal.ONE.compareTo(PUBLISHER.published.getFirst().quantity()));
    }

    @Test
    void shouldRefuseABinaryModeCloudEventNamingItsHeaders() throws IOException {
        assertEquals(List.of(
                "ce-specversion: must be \"1.0\", the only CloudEvents version this API reads",
                "ce-source: is required (a URI-reference naming what produced the event)",
                "ce-subject: is required",
                "data.quantity: must be at least 0"),
                errors(assertProblem(binary("application/json", "{\"quantity\":-1}", "ce-specversion: 0.3",
                        "ce-id: b-3", "ce-type: m").answer(), 400, "invalid-event")));
        assertEquals(List.of("ce-subject: must be percent-encoded UTF-8 (CloudEvents HTTP binding, 3.1.3.2)"),
                errors(assertProblem(binary(null, "", "ce-specversion: 1.0", "ce-id: b-4", "ce-source: /raw",
                        "ce-type: m", "ce-subject: %ZZ").answer(), 400, "invalid-event")));
        assertProblem(binary("text/plain", "5", "ce-specversion: 1.0", "ce-id: b-5", "ce-source: /raw",
                "ce-type: m", "ce-subject: s").answer(), 415, "unsupported-media-type");
        assertProblem(binary("application/json", "{\"quantity\":", "ce-specversion: 1.0", "ce-id: b-6",
                "ce-source: /raw", "ce-type: m", "ce-subject: s").answer(), 400, "malformed-json");
        assertEquals(List.of("data: must be an object (quantity, properties)"), errors(assertProblem(binary(
                "application/json", "[1]", "ce-specversion: 1.0", "ce-id: b-7", "ce-source: /raw", "ce-type: m",
                "ce-subject: s").answer(), 400, "invalid-event")));
    }

    /** Records what it is asked to publish; acknowledges nothing unless told to. */
    static final class RecordingPublisher implements EventPublisher {
        final List<UsageEvent> published = new ArrayList<>();
        volatile boolean reachable = true;
        volatile boolean acknowledges;

        @Override
        public synchronized CompletableFuture<Acknowledgement> publish(final UsageEvent event) {
            published.add(event);
            return acknowledges ? CompletableFuture.completedFuture(new Acknowledgement(0, published.size() - 1))
                    : new CompletableFuture<>();
        }

        @Override
        public boolean reachable() {
            return reachable;
        }

        @Override
        public void close() {
        }
    }
}
