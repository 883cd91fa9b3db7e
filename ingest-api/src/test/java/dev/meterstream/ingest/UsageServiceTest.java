package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.event.UsageEvent;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
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

    private final Http1Client client;

    UsageServiceTest(final Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        final IngestSettings settings = TestSettings.create("unused:9092");
        final IngestMetrics metrics = new IngestMetrics(() -> 0.0, () -> 0);
        IngestServer.routing(builder, IngestServer.keys(settings, java.util.Optional.empty()), metrics, new UsageService(settings, PUBLISHER,
                new Semaphore(settings.maxInFlightEvents()), metrics, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @BeforeEach
    void reset() {
        PUBLISHER.published.clear();
        PUBLISHER.reachable = true;
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

    /** Records what it is asked to publish; acknowledges nothing. */
    static final class RecordingPublisher implements EventPublisher {
        final List<UsageEvent> published = new ArrayList<>();
        volatile boolean reachable = true;

        @Override
        public synchronized CompletableFuture<Acknowledgement> publish(final UsageEvent event) {
            published.add(event);
            return new CompletableFuture<>();
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
