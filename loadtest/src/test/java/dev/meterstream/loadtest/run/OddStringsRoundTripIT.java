package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.infra.dev.ConfigOverrides;
import dev.meterstream.infra.dev.DevStack;
import dev.meterstream.infra.dev.StackLayout;
import dev.meterstream.infra.process.Await;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd but valid text in every field, through the whole stack as a client and an analyst see it: posted to
 * ingest-api over HTTP (as JSON and as a CloudEvent), read back from every view of query-api. Astral-plane emoji
 * (surrogate pairs), right-to-left text, combining marks, and the longest value each field allows (counted in
 * UTF-16 units, so emoji count twice) all come back unchanged.
 */
class OddStringsRoundTripIT {
    private static final Path ROOT = Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** A rocket (a surrogate pair), Hebrew, an e with a combining acute accent, Arabic with a mark. */
    private static final String ODD = "\uD83D\uDE80 \u05E9\u05DC\u05D5\u05DD e\u0301 \u0645\u064E\u0631";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldReadOddButValidStringsBackUnchangedFromEveryView(@TempDir final Path workDir) throws Exception {
        final String ingestKey = ApiKeys.generateKey();
        final String queryKey = ApiKeys.generateKey();
        final Path ingestKeys = Files.writeString(workDir.resolve("ingest-keys"),
                ApiKeys.sha256(ingestKey) + " acme\n");
        final Path queryKeys = Files.writeString(workDir.resolve("query-keys"), ApiKeys.sha256(queryKey) + " acme\n");
        final Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);

        final Map<String, ObjectNode> events = new LinkedHashMap<>();
        events.put("odd", event(ODD + " id-1", ODD + " subject", "odd.meter", at)
                .set("properties", JSON.createObjectNode().put(ODD, ODD).put("\u05DE\u05E4\u05EA\u05D7", "\u200F"
                        + ODD)));
        // The longest allowed values: id 128, subject 256, meter 64, 32 properties of 64-unit keys and 256-unit
        // values, each made of emoji (two UTF-16 units each) where text is free.
        final ObjectNode longest = event(emoji(64), emoji(128), "m" + "-x".repeat(31) + "z", at);
        final ObjectNode properties = longest.putObject("properties");
        for (int i = 0; i < 32; i++) {
            properties.put(String.format("%02d", i) + emoji(31), emoji(128));
        }
        events.put("longest", longest);

        try (DevStack stack = new DevStack(ROOT, new StackLayout(workDir.resolve("data"), 1, true, ingestKeys,
                queryKeys, Files.writeString(workDir.resolve("admin-keys"), ""), ConfigOverrides.NONE,
                java.util.Optional.empty()), System.out)) {
            stack.start();
            final String ingest = stack.url("ingest-api");
            final String query = stack.url("query-api");
            assertEquals(202, post(ingest, ingestKey, "application/json", events.get("odd")).statusCode());
            // The longest one as a CloudEvent: type is the meter, time the timestamp, data the rest.
            final ObjectNode cloudEvent = JSON.createObjectNode().put("specversion", "1.0")
                    .put("id", longest.get("id").textValue()).put("source", "/" + ODD)
                    .put("type", longest.get("meter").textValue()).put("subject", longest.get("subject").textValue())
                    .put("time", at.toString());
            cloudEvent.putObject("data").put("quantity", 2).set("properties", longest.get("properties"));
            final HttpResponse<String> accepted = post(ingest, ingestKey, "application/cloudevents+json", cloudEvent);
            assertEquals(202, accepted.statusCode(), accepted.body());

            for (final ObjectNode sent : events.values()) {
                final String id = sent.get("id").textValue();
                final String subject = sent.get("subject").textValue();
                final String meter = sent.get("meter").textValue();
                final JsonNode byId = Await.untilValue("event " + id + " in the views", WAIT,
                        () -> get(query, queryKey, "/api/usages/" + encode(id)));
                assertEvent(sent, byId.get("events").get(0));

                final String range = "from=" + at.truncatedTo(ChronoUnit.HOURS) + "&to="
                        + at.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
                final JsonNode bySubject = get(query, queryKey, "/api/subjects/" + encode(subject) + "/events?"
                        + range);
                assertEquals(1, bySubject.get("events").size(), bySubject.toString());
                assertEvent(sent, bySubject.get("events").get(0));

                final JsonNode series = Await.untilValue("the hour aggregate of " + subject, WAIT, () -> {
                    final JsonNode answer = get(query, queryKey, "/api/meters/" + meter + "/usage?window=HOUR&"
                            + range + "&subject=" + encode(subject));
                    return answer != null && answer.get("points").size() == 1 ? answer : null;
                });
                assertEquals(subject, series.get("points").get(0).get("subject").textValue());
                final JsonNode top = get(query, queryKey, "/api/meters/" + meter + "/top?window=HOUR&" + range);
                assertEquals(subject, top.get("subjects").get(0).get("subject").textValue());
                final List<String> meters = new ArrayList<>();
                get(query, queryKey, "/api/meters").get("meters").forEach(m -> meters.add(m.get("meter")
                        .textValue()));
                assertTrue(meters.contains(meter), meters.toString());
            }
        }
    }

    private static ObjectNode event(final String id, final String subject, final String meter, final Instant at) {
        return JSON.createObjectNode().put("id", id).put("subject", subject).put("meter", meter).put("quantity", 2)
                .put("timestamp", at.toString());
    }

    /** {@code count} emoji: twice as many UTF-16 units. */
    private static String emoji(final int count) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(0x1F600 + i % 64);
        }
        return text.toString();
    }

    private static void assertEvent(final ObjectNode sent, final JsonNode stored) {
        assertEquals(sent.get("id").textValue(), stored.get("id").textValue());
        assertEquals(sent.get("subject").textValue(), stored.get("subject").textValue());
        assertEquals(sent.get("meter").textValue(), stored.get("meter").textValue());
        final Map<String, String> sentProperties = new LinkedHashMap<>();
        final Map<String, String> storedProperties = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = sent.get("properties").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = it.next();
            sentProperties.put(entry.getKey(), entry.getValue().textValue());
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = stored.get("properties").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = it.next();
            storedProperties.put(entry.getKey(), entry.getValue().textValue());
        }
        assertEquals(sentProperties, storedProperties);
    }

    private HttpResponse<String> post(final String base, final String key, final String contentType,
                                      final JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/usages"))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The JSON answer of a GET, or null if it was not a 200. */
    private JsonNode get(final String base, final String key, final String path) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    private static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
