package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.EventRules;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.event.Quantity;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.openapi.OpenApiContract;
import dev.meterstream.infra.process.Await;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * query-api on views written through the real processor and sink: each endpoint's answers equal what is computed
 * directly from the input events; window alignment, cursor paging, tenant isolation, bad parameters.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {
    private static final ObjectMapper JSON = EventParser.READER;
    /** Every answer these tests get from query-api is checked against its OpenAPI document. */
    private static final OpenApiContract API = OpenApiContract.of("query-api");
    private final HttpClient http = HttpClient.newHttpClient();
    private ViewsFixture views;

    @BeforeAll
    void writeViews(final KafkaEndpoint kafka, final CassandraEndpoint cassandra, @TempDir final Path stateDir) {
        views = new ViewsFixture(kafka, cassandra, stateDir);
    }

    @AfterAll
    void stop() {
        if (views != null) {
            views.close();
        }
    }

    @Test
    void shouldAnswerAnEventByItsIdWithItsLogIdAndOnlyToItsTenant() throws Exception {
        final UsageEvent event = views.events("acme").get(17);
        final JsonNode body = json(get("/api/usages/" + event.id(), ViewsFixture.ACME_KEY), 200);
        final JsonNode found = body.get("events").get(0);
        assertEquals(event.subject(), found.get("subject").asText());
        assertEquals(event.meter(), found.get("meter").asText());
        assertEquals(event.quantity(), found.get("quantity").decimalValue());
        assertTrue(found.get("quantity").isBigDecimal() || found.get("quantity").isIntegralNumber(),
                "quantities are plain JSON numbers: " + found);
        assertEquals(event.timestamp(), Instant.parse(found.get("timestamp").asText()), "exact to the nanosecond");
        assertEquals(event.properties(), JSON.convertValue(found.get("properties"), Map.class));
        assertEquals(event.receivedAt(), Instant.parse(found.get("receivedAt").asText()), "as the log holds it");
        assertTrue(found.get("logId").asText().matches("\\d+-\\d+"), found.toString());
        assertNotNull(body.get("completeThrough").asText());

        final HttpResponse<String> otherTenant = get("/api/usages/" + event.id(), ViewsFixture.GLOBEX_KEY);
        assertProblem(otherTenant, 404, "/problems/unknown-event");
        assertProblem(get("/api/usages/no-such-event", ViewsFixture.ACME_KEY), 404, "/problems/unknown-event");
        assertProblem(get("/api/usages/" + ViewsFixture.STORED_BEFORE_V010 + 20, ViewsFixture.ACME_KEY), 404,
                "/problems/unknown-event");
        assertProblem(get("/api/usages/" + event.id(), "ms_not-a-key"), 401, "/problems/unauthorized");
    }

    @Test
    void shouldAnswerTheLatestCopyOfAnIdCountedAgainAfterTheHorizonAndOnlyTheTenants() throws Exception {
        final JsonNode acme = json(get("/api/usages/" + ViewsFixture.COUNTED_TWICE, ViewsFixture.ACME_KEY), 200)
                .get("events");
        assertEquals(1, acme.size(), acme.toString());
        assertEquals(ViewsFixture.COUNTED_TWICE_LATER, acme.get(0).get("subject").asText());
        assertEquals(ViewsFixture.COUNTED_TWICE_LATER_LOG_ID, acme.get(0).get("logId").asText());
        // globex's event of the same id is later in the log than both: each tenant sees only its own.
        final JsonNode globex = json(get("/api/usages/" + ViewsFixture.COUNTED_TWICE, ViewsFixture.GLOBEX_KEY), 200)
                .get("events");
        assertEquals("1-50", globex.get(0).get("logId").asText());
    }

    @Test
    void shouldPageASubjectsEventsInTimeOrderWithCursors() throws Exception {
        final Instant from = ViewsFixture.BASE.plus(Duration.ofHours(20));
        final Instant to = ViewsFixture.BASE.plus(Duration.ofHours(60));
        final List<String> expected = views.events("acme").stream()
                .filter(e -> e.subject().equals("subject-3") && !e.timestamp().isBefore(from)
                        && e.timestamp().isBefore(to))
                .sorted(Comparator.comparing((UsageEvent e) -> e.timestamp().truncatedTo(ChronoUnit.MILLIS))
                        .thenComparing(UsageEvent::id))
                .map(UsageEvent::id).toList();
        assertTrue(expected.size() > 20, "enough events to page through: " + expected.size());
        // The range also holds ten rows stored before V010 (ViewsFixture.STORED_BEFORE_V010), which are skipped.
        final List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            final JsonNode page = json(get("/api/subjects/subject-3/events?from=" + from + "&to=" + to + "&limit=7"
                    + (cursor == null ? "" : "&cursor=" + cursor), ViewsFixture.ACME_KEY), 200);
            page.get("events").forEach(e -> paged.add(e.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        assertEquals(expected, paged);
        assertProblem(get("/api/subjects/subject-3/events?from=" + from + "&to=" + to + "&cursor=garbage",
                ViewsFixture.ACME_KEY), 400, "/problems/invalid-query");
    }

    @Test
    void shouldRefuseACursorGivenForAnotherRequestOrForgedInConstantWork() throws Exception {
        final Instant from = ViewsFixture.BASE.plus(Duration.ofHours(20));
        final Instant to = ViewsFixture.BASE.plus(Duration.ofHours(60));
        final String range = "?from=" + from + "&to=" + to + "&limit=7";
        final String cursor = json(get("/api/subjects/subject-3/events" + range, ViewsFixture.ACME_KEY), 200)
                .get("nextCursor").asText();
        assertEquals(200, get("/api/subjects/subject-3/events" + range + "&cursor=" + cursor, ViewsFixture.ACME_KEY)
                .statusCode(), "the cursor is good for the request it was given for");
        for (final String other : List.of("/api/subjects/subject-4/events" + range,
                "/api/subjects/subject-3/events?from=" + from + "&to=" + to.plusSeconds(3600) + "&limit=7",
                "/api/subjects/subject-3/events?from=" + from.minusSeconds(3600) + "&to=" + to + "&limit=7")) {
            assertProblem(get(other + "&cursor=" + cursor, ViewsFixture.ACME_KEY), 400, "/problems/invalid-query");
        }
        assertProblem(get("/api/subjects/subject-3/events" + range + "&cursor=" + cursor, ViewsFixture.GLOBEX_KEY),
                400, "/problems/invalid-query");
        // The unsigned form cursors had before: a start at year 1 once meant a read of every day since.
        final String yearOne = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("0001-01-01|" + Instant.parse("0001-01-01T00:00:00Z").toEpochMilli() + "|x").getBytes());
        final String position = cursor.substring(0, cursor.indexOf('.'));
        for (final String forged : List.of(yearOne, yearOne + cursor.substring(cursor.indexOf('.')),
                position.substring(0, position.length() - 2) + "AA" + cursor.substring(cursor.indexOf('.')),
                cursor + "A", "x".repeat(1500))) {
            assertProblem(get("/api/subjects/subject-3/events" + range + "&cursor=" + forged, ViewsFixture.ACME_KEY),
                    400, "/problems/invalid-query");
        }
    }

    @Test
    void shouldBoundEachAnswersReadsDeadlineAndEachTenantsRate() throws Exception {
        final String top = "/api/meters/meter-0/top?from=" + ViewsFixture.BASE + "&to="
                + ViewsFixture.BASE.plus(Duration.ofHours(60)) + "&window=HOUR";
        final String byId = "/api/usages/" + views.events("acme").get(3).id();
        try (QueryServer fewReads = views.startQuery(new QueryLimits(Duration.ofSeconds(30), 20, 0))) {
            assertEquals(200, get(fewReads, byId, ViewsFixture.ACME_KEY).statusCode(), "one read is within 20");
            assertProblem(get(fewReads, top, ViewsFixture.ACME_KEY), 400, "/problems/too-many-reads");
        }
        try (QueryServer noTime = views.startQuery(new QueryLimits(Duration.ofNanos(1), 10_000, 0))) {
            assertProblem(get(noTime, byId, ViewsFixture.ACME_KEY), 503, "/problems/query-deadline");
        }
        try (QueryServer slow = views.startQuery(new QueryLimits(Duration.ofSeconds(30), 10_000, 1))) {
            // A bucket of one request, refilled at one a second: of five requests in a row, some are refused.
            final List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(get(slow, byId, ViewsFixture.ACME_KEY));
            }
            final HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst()
                    .orElseThrow(() -> new AssertionError("no 429 in five requests at a rate of one a second"));
            assertProblem(refused, 429, "/problems/rate-limited");
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
            assertEquals(200, get(slow, "/api/usages/" + views.events("globex").get(3).id(), ViewsFixture.GLOBEX_KEY)
                    .statusCode(), "another tenant has a bucket of its own");
        }
    }

    /**
     * Keys made, listed and revoked over the admin API: in effect on another instance within 5 s, scoped, expiring,
     * and each tenant's own.
     */
    @Test
    void shouldMakeListAndRevokeKeysInEffectOnEveryInstanceWithinFiveSeconds() throws Exception {
        final Duration inEffect = Duration.ofSeconds(5);
        try (QueryServer other = views.startQuery(new QueryLimits(Duration.ofSeconds(30), 10_000, 0))) {
            final JsonNode made = json(send("POST", "/api/keys", ViewsFixture.ACME_ADMIN_KEY, "{\"scope\":\"query\"}"),
                    201);
            final String key = made.get("key").asText();
            final String id = made.get("id").asText();
            assertEquals("query", made.get("scope").asText());
            assertTrue(key.startsWith("ms_" + id + "_"), key);
            Await.until("the new key to read on the other instance", inEffect,
                    () -> get(other, "/api/meters", key).statusCode() == 200);
            assertEquals(200, get("/api/meters", key).statusCode(), "and on the one that made it, at once");

            final JsonNode listed = json(get("/api/keys", ViewsFixture.ACME_ADMIN_KEY), 200);
            final JsonNode entry = java.util.stream.StreamSupport.stream(listed.get("keys").spliterator(), false)
                    .filter(k -> k.get("id").asText().equals(id)).findFirst().orElseThrow();
            assertEquals("active", entry.get("state").asText());
            // The secret is all after "ms_<id>_" (base64url may itself hold '_').
            assertTrue(!listed.toString().contains(key.substring(("ms_" + id + "_").length()))
                    && !entry.has("sha256") && !entry.has("key"), "a list shows neither keys nor digests: " + entry);
            assertProblem(get("/api/keys", key), 403, "/problems/forbidden");
            assertProblem(send("POST", "/api/keys", key, "{\"scope\":\"admin\"}"), 403, "/problems/forbidden");
            assertProblem(send("DELETE", "/api/keys/" + id, ViewsFixture.INITECH_ADMIN_KEY, null), 404,
                    "/problems/unknown-key");
            assertProblem(send("POST", "/api/keys", ViewsFixture.ACME_ADMIN_KEY, "{\"scope\":\"root\",\"x\":1}"),
                    400, "/problems/invalid-key-request");

            final String ingestKey = json(send("POST", "/api/keys", ViewsFixture.ACME_ADMIN_KEY,
                    "{\"scope\":\"ingest\"}"), 201).get("key").asText();
            assertProblem(get("/api/meters", ingestKey), 401, "/problems/unauthorized");

            json(send("DELETE", "/api/keys/" + id, ViewsFixture.ACME_ADMIN_KEY, null), 200);
            assertProblem(get("/api/meters", key), 401, "/problems/unauthorized");
            Await.until("the revoked key to be refused on the other instance", inEffect,
                    () -> get(other, "/api/meters", key).statusCode() == 401);

            final String soon = json(send("POST", "/api/keys", ViewsFixture.ACME_ADMIN_KEY,
                    "{\"scope\":\"query\",\"expiresAt\":\"" + Instant.now().plusSeconds(3) + "\"}"), 201)
                    .get("key").asText();
            assertEquals(200, get("/api/meters", soon).statusCode(), "before it expires");
            Await.until("the key to expire", Duration.ofSeconds(15),
                    () -> get("/api/meters", soon).statusCode() == 401);
        }
    }

    @Test
    void shouldAnswerSeriesEqualToTheInputForSeveralSubjectsAndWindowSizes() throws Exception {
        for (final WindowSize size : List.of(WindowSize.MINUTE, WindowSize.HOUR, WindowSize.DAY)) {
            final Instant from = size == WindowSize.MINUTE ? ViewsFixture.BASE.plus(Duration.ofHours(30))
                    : ViewsFixture.BASE;
            final Instant to = size == WindowSize.MINUTE ? from.plus(Duration.ofHours(12))
                    : ViewsFixture.BASE.plus(Duration.ofDays(3));
            final JsonNode body = json(get("/api/meters/meter-1/usage?from=" + from + "&to=" + to + "&window="
                    + size + "&subject=subject-1&subject=subject-5", ViewsFixture.ACME_KEY), 200);
            final Map<String, String> got = new TreeMap<>();
            body.get("points").forEach(p -> got.put(p.get("subject").asText() + " " + p.get("windowStart").asText(),
                    p.get("count").asLong() + " " + new BigDecimal(p.get("sum").asText()).stripTrailingZeros()
                            .toPlainString() + " " + plain(p.get("min")) + " " + plain(p.get("max"))));
            final Map<String, String> expected = new TreeMap<>();
            expectedAggregates("acme", size).values().stream()
                    .filter(a -> a.meter().equals("meter-1") && List.of("subject-1", "subject-5").contains(a.subject())
                            && !a.windowStart().isBefore(from) && a.windowStart().isBefore(to))
                    .forEach(a -> expected.put(a.subject() + " " + a.windowStart(), a.count() + " "
                            + a.sum().stripTrailingZeros().toPlainString() + " " + plain(a.min()) + " " + plain(a.max())));
            assertEquals(expected, got, size.name());
        }
    }

    @Test
    void shouldFindTheTopSubjectEvenWhenItLeadsNoSingleWindow() throws Exception {
        final JsonNode body = json(get("/api/meters/rank-test/top?from=" + ViewsFixture.BASE + "&to="
                + ViewsFixture.BASE.plus(Duration.ofDays(3)) + "&window=DAY&limit=1", ViewsFixture.ACME_KEY), 200);
        assertEquals(1, body.get("subjects").size(), body.toString());
        assertEquals("x", body.get("subjects").get(0).get("subject").asText());
        assertEquals(0, new BigDecimal("28.5").compareTo(new BigDecimal(body.get("subjects").get(0).get("sum")
                .asText())));
        assertEquals(3, body.get("subjects").get(0).get("count").asLong());
    }

    @Test
    void shouldAnswerTheSeriesOfAllSubjectsTogetherEqualToTheInput() throws Exception {
        for (final WindowSize size : List.of(WindowSize.HOUR, WindowSize.DAY)) {
            final Instant to = ViewsFixture.BASE.plus(Duration.ofDays(3));
            final JsonNode body = json(get("/api/meters/meter-0/usage?from=" + ViewsFixture.BASE + "&to=" + to
                    + "&window=" + size, ViewsFixture.ACME_KEY), 200);
            final Map<String, String> got = new TreeMap<>();
            body.get("points").forEach(p -> got.put(p.get("subject").asText() + " " + p.get("windowStart").asText(),
                    p.get("count").asLong() + " " + new BigDecimal(p.get("sum").asText()).stripTrailingZeros()
                            .toPlainString() + " " + plain(p.get("min")) + " " + plain(p.get("max"))));
            final Map<Instant, WindowAggregate> totals = new TreeMap<>();
            for (final UsageEvent event : views.events("acme")) {
                if (event.meter().equals("meter-0")) {
                    final WindowAggregate one = WindowAggregate.rollupOf(event, size, 0);
                    totals.merge(one.windowStart(), one, (total, ignored) -> total.add(event));
                }
            }
            final Map<String, String> expected = new TreeMap<>();
            totals.forEach((start, a) -> expected.put("* " + start, a.count() + " "
                    + a.sum().stripTrailingZeros().toPlainString() + " " + plain(a.min()) + " " + plain(a.max())));
            assertEquals(expected, got, size.name());
        }
    }

    @Test
    void shouldRankTheTopSubjectsOfARangeExactly() throws Exception {
        for (final WindowSize size : List.of(WindowSize.DAY, WindowSize.HOUR)) {
            final Instant from = ViewsFixture.BASE.plus(Duration.ofDays(size == WindowSize.DAY ? 0 : 1));
            final Instant to = size == WindowSize.DAY ? from.plus(Duration.ofDays(3)) : from.plus(Duration.ofHours(5));
            final Map<String, BigDecimal> totals = new TreeMap<>();
            expectedAggregates("acme", size).values().stream()
                    .filter(a -> a.meter().equals("meter-0") && !a.windowStart().isBefore(from)
                            && a.windowStart().isBefore(to))
                    .forEach(a -> totals.merge(a.subject(), a.sum(), BigDecimal::add));
            final List<String> expected = totals.entrySet().stream()
                    .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(5).map(e -> e.getKey() + "=" + e.getValue().stripTrailingZeros().toPlainString()).toList();
            final JsonNode body = json(get("/api/meters/meter-0/top?from=" + from + "&to=" + to + "&window=" + size
                    + "&limit=5", ViewsFixture.ACME_KEY), 200);
            final List<String> got = new ArrayList<>();
            body.get("subjects").forEach(s -> got.add(s.get("subject").asText() + "="
                    + new BigDecimal(s.get("sum").asText()).stripTrailingZeros().toPlainString()));
            assertEquals(expected, got, size.name());
        }
    }

    @Test
    void shouldListEachTenantsMetersAndKeepTenantsApart() throws Exception {
        assertEquals(List.of("meter-0", "meter-1", "rank-test"), meters(ViewsFixture.ACME_KEY));
        assertEquals(List.of("globex-meter"), meters(ViewsFixture.GLOBEX_KEY));
        final JsonNode foreign = json(get("/api/meters/meter-1/usage?from=" + ViewsFixture.BASE + "&to="
                + ViewsFixture.BASE.plus(Duration.ofDays(3)) + "&window=DAY&subject=subject-1",
                ViewsFixture.GLOBEX_KEY), 200);
        assertEquals(0, foreign.get("points").size(), "globex sees none of acme's usage");
    }

    @Test
    void shouldRefuseBadParametersWithProblemDetails() throws Exception {
        final HttpResponse<String> misaligned = get("/api/meters/meter-1/usage?from="
                + ViewsFixture.BASE.plus(Duration.ofMinutes(30)) + "&to=" + ViewsFixture.BASE.plus(Duration.ofDays(1))
                + "&window=HOUR&subject=subject-1", ViewsFixture.ACME_KEY);
        assertProblem(misaligned, 400, "/problems/invalid-query");
        assertTrue(misaligned.body().contains("\"field\":\"from\""), misaligned.body());
        final HttpResponse<String> tooMany = get("/api/meters/meter-1/usage?from=" + ViewsFixture.BASE + "&to="
                + ViewsFixture.BASE.plus(Duration.ofDays(3)) + "&window=MINUTE&subject=subject-1", ViewsFixture.ACME_KEY);
        assertProblem(tooMany, 400, "/problems/invalid-query");
        final HttpResponse<String> several = get("/api/meters/meter-1/top?from=yesterday&window=WEEK&limit=0",
                ViewsFixture.ACME_KEY);
        assertProblem(several, 400, "/problems/invalid-query");
        for (final String field : List.of("from", "to", "window", "limit")) {
            assertTrue(several.body().contains("\"field\":\"" + field + "\""), field + " in " + several.body());
        }
    }

    @Test
    void shouldServeItsOpenApiDocumentAndAnswerAWrongMethodWith405AndAllowAndEveryOtherRefusalAsAProblem() throws Exception {
        for (final var route : Map.of("DELETE /api/meters/meter-1/usage", "GET", "POST /api/meters/meter-1",
                "PUT, GET, DELETE", "PUT /api/keys", "POST, GET", "POST /", "GET").entrySet()) {
            final String[] request = route.getKey().split(" ");
            final HttpResponse<String> answer = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl()
                            + request[1])).header("Authorization", "Bearer " + ViewsFixture.ACME_KEY)
                    .method(request[0], HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertProblem(answer, 405, "/problems/method-not-allowed");
            assertEquals(route.getValue(), answer.headers().firstValue("Allow").orElse(""), route.getKey());
        }
        final HttpResponse<String> document = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl()
                + "/openapi")).build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(java.nio.file.Files.readString(Path.of("../docs/openapi/query-api.yaml")), document.body(),
                "the document served is the one kept in docs");
        assertProblem(get("/api/no-such-resource", ViewsFixture.ACME_KEY), 404, "/problems/not-found");
        assertProblem(get("/no-such-page", ViewsFixture.ACME_KEY), 404, "/problems/not-found");
    }

    /** The meterstream command's query and keys, against this server: what it prints is what the API answers. */
    @Test
    void shouldAnswerTheCommandsQueriesAndKeyChanges() throws Exception {
        final String from = ViewsFixture.BASE.toString();
        final String to = ViewsFixture.BASE.plus(Duration.ofDays(3)).toString();
        final String path = "/api/meters/meter-1/usage?from=" + from + "&to=" + to + "&window=DAY&subject=subject-1";
        final int points = json(get(path, ViewsFixture.ACME_KEY), 200).get("points").size();
        final Command table = command("query", "usage", "meter-1", "--from", from, "--to", to, "--window", "DAY",
                "--subject", "subject-1", "--key", ViewsFixture.ACME_KEY);
        assertEquals(0, table.exit(), table.err());
        final List<String> lines = table.out().lines().toList();
        assertEquals(List.of("subject", "windowStart", "count", "sum", "min", "max"),
                List.of(lines.getFirst().trim().split(" +")));
        assertEquals(points + 3, lines.size(), "a header, a rule, a row per point, and completeThrough: "
                + table.out());
        assertTrue(lines.getLast().startsWith("complete through "), lines.getLast());
        final Command csv = command("query", "usage", "meter-1", "--from", from, "--to", to, "--window", "DAY",
                "--subject", "subject-1", "--csv", "--key", ViewsFixture.ACME_KEY);
        assertEquals(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl() + path))
                .header("Authorization", "Bearer " + ViewsFixture.ACME_KEY).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString()).body(), csv.out());
        final Command top = command("query", "top", "meter-1", "--from", from, "--to", to, "--limit", "3", "--key",
                ViewsFixture.ACME_KEY);
        assertEquals(0, top.exit(), top.err());
        assertTrue(top.out().startsWith("rank"), top.out());

        final Command refused = command("query", "usage", "meter-1", "--from", "yesterday", "--to", to, "--key",
                ViewsFixture.ACME_KEY);
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("answered 400 Invalid query") && refused.err().contains("from:"),
                refused.err());

        final Command made = command("keys", "create", "--scope", "ingest", "--key", ViewsFixture.ACME_ADMIN_KEY);
        assertEquals(0, made.exit(), made.err());
        assertTrue(made.out().startsWith("key ms_"), made.out());
        final String id = made.out().lines().toList().get(3).trim().split(" +")[0];
        assertTrue(command("keys", "list", "--key", ViewsFixture.ACME_ADMIN_KEY).out().contains(id));
        final Command revoked = command("keys", "revoke", id, "--key", ViewsFixture.ACME_ADMIN_KEY);
        assertEquals(0, revoked.exit(), revoked.err());
        assertTrue(revoked.out().contains("revoked"), revoked.out());
        assertEquals(1, command("keys", "list", "--key", ViewsFixture.ACME_KEY).exit(), "an analyst key may not");
    }

    private record Command(int exit, String out, String err) {
    }

    private Command command(final String... args) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final List<String> withUrl = new ArrayList<>(List.of(args));
        withUrl.addAll(List.of("--url", views.baseUrl()));
        final int exit = dev.meterstream.cli.Main.run(withUrl, Map.of(), java.io.InputStream.nullInputStream(),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new Command(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerCsvWhenAskedAndServeHealthMetricsAndThePage() throws Exception {
        final HttpResponse<String> csv = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl()
                        + "/api/meters/meter-1/usage?from=" + ViewsFixture.BASE + "&to="
                        + ViewsFixture.BASE.plus(Duration.ofDays(3)) + "&window=DAY&subject=subject-1"))
                .header("Authorization", "Bearer " + ViewsFixture.ACME_KEY).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        final List<String> lines = csv.body().lines().toList();
        assertEquals("subject,windowStart,count,sum,min,max", lines.getFirst());
        assertEquals(expectedAggregates("acme", WindowSize.DAY).values().stream()
                .filter(a -> a.meter().equals("meter-1") && a.subject().equals("subject-1")).count(), lines.size() - 1);

        assertEquals(200, checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString())).statusCode());
        final String metrics = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl() + "/observe/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString())).body();
        assertTrue(metrics.contains("query_request_duration_seconds"), "latency by endpoint is exported");
        final HttpResponse<String> page = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(page.body().contains("<svg id=\"chart\""), "the page is served");
        final String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'")
                && policy.contains("script-src 'sha256-"), policy);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    /**
     * The analysts' page in a real headless Chromium: an analyst enters a key, picks a meter, two subjects, hourly
     * windows and a day; the table and the chart must show what the input events add up to. A screenshot is saved
     * under target/ for people to look at.
     */
    @Test
    void shouldDrawTheChosenUsageInARealBrowser() throws Exception {
        final Instant from = ViewsFixture.BASE.plus(Duration.ofDays(1));
        final Instant to = from.plus(Duration.ofDays(1));
        final Map<String, String> expectedRows = new TreeMap<>();
        final Map<String, BigDecimal> expectedBars = new TreeMap<>();
        expectedAggregates("acme", WindowSize.HOUR).values().stream()
                .filter(a -> a.meter().equals("meter-1") && List.of("subject-1", "subject-5").contains(a.subject())
                        && !a.windowStart().isBefore(from) && a.windowStart().isBefore(to))
                .forEach(a -> {
                    expectedRows.put(a.subject() + " " + a.windowStart(), a.count() + " "
                            + a.sum().stripTrailingZeros().toPlainString());
                    expectedBars.merge(a.windowStart().toString(), a.sum(), BigDecimal::add);
                });

        try (Browser browser = Browser.start()) {
            final org.openqa.selenium.WebDriver page = browser.driver();
            page.get(views.baseUrl() + "/");
            page.findElement(org.openqa.selenium.By.id("key")).sendKeys(ViewsFixture.ACME_KEY,
                    org.openqa.selenium.Keys.TAB);
            final var wait = new org.openqa.selenium.support.ui.WebDriverWait(page, Duration.ofSeconds(30));
            // The event types are the list's own options; defined meters are in a group of their own.
            wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#meter > option")).size() == 3);
            new org.openqa.selenium.support.ui.Select(page.findElement(org.openqa.selenium.By.id("meter")))
                    .selectByVisibleText("meter-1");
            page.findElement(org.openqa.selenium.By.id("subjects")).sendKeys("subject-1, subject-5");
            showHourly(page, wait, from, to, "complete through");

            final Map<String, String> rows = new TreeMap<>();
            for (final var row : page.findElements(org.openqa.selenium.By.cssSelector("#usage-table tbody tr"))) {
                final List<String> cells = row.findElements(org.openqa.selenium.By.tagName("td")).stream()
                        .map(org.openqa.selenium.WebElement::getText).toList();
                rows.put(cells.get(0) + " " + cells.get(1), cells.get(2) + " "
                        + new BigDecimal(cells.get(3)).stripTrailingZeros().toPlainString());
            }
            assertEquals(expectedRows, rows, "the table shows every window of both subjects");
            final Map<String, BigDecimal> bars = new TreeMap<>();
            for (final var bar : page.findElements(org.openqa.selenium.By.cssSelector("#chart rect.bar"))) {
                bars.put(bar.getDomAttribute("data-window-start"), new BigDecimal(bar.getDomAttribute("data-sum")));
            }
            assertEquals(expectedBars.keySet(), bars.keySet(), "one bar per window");
            expectedBars.forEach((window, sum) -> assertEquals(sum.doubleValue(), bars.get(window).doubleValue(),
                    1e-9, "bar height of " + window + " is the sum of both subjects"));
            browser.screenshot(Path.of("target", "analyst-page.png"));
        }
    }

    /**
     * The analysts' page with a defined meter: grouped by one of its dimensions, it draws one line per group, each
     * point the sum of that group's tokens in its hour, as the events add up.
     */
    @Test
    void shouldDrawOneLinePerGroupOfADefinedMeterInARealBrowser() throws Exception {
        final Instant from = ViewsFixture.BASE.plus(Duration.ofDays(1));
        final Instant to = from.plus(Duration.ofDays(1));
        final String range = "?from=" + from + "&to=" + to + "&window=HOUR&groupBy=model";
        final Map<String, String> expected = new TreeMap<>();
        Await.until("tokens-first to hold every event of the day", Duration.ofSeconds(60), () -> {
            final Map<String, BigDecimal> sums = new TreeMap<>();
            for (final UsageEvent event : views.events("initech")) {
                if (!event.timestamp().isBefore(from) && event.timestamp().isBefore(to)) {
                    final Object model = event.properties().get("model");
                    sums.merge((model == null ? "(none)" : model) + "|" + WindowSize.HOUR.start(event.timestamp()),
                            new BigDecimal(event.properties().get("tokens")), BigDecimal::add);
                }
            }
            expected.clear();
            sums.forEach((point, sum) -> expected.put(point, plain(sum)));
            final Map<String, String> answered = new TreeMap<>();
            json(get("/api/meters/" + ViewsFixture.TOKENS_FIRST + "/usage" + range, ViewsFixture.INITECH_KEY), 200)
                    .get("points").forEach(point -> answered.put((point.get("groupBy").get("model").isNull()
                            ? "(none)" : point.get("groupBy").get("model").asText()) + "|"
                            + point.get("windowStart").asText(), plain(point.get("value"))));
            return expected.equals(answered);
        });

        try (Browser browser = Browser.start()) {
            final org.openqa.selenium.WebDriver page = browser.driver();
            page.get(views.baseUrl() + "/");
            page.findElement(org.openqa.selenium.By.id("key")).sendKeys(ViewsFixture.INITECH_KEY,
                    org.openqa.selenium.Keys.TAB);
            final var wait = new org.openqa.selenium.support.ui.WebDriverWait(page, Duration.ofSeconds(30));
            wait.until(d -> !d.findElements(org.openqa.selenium.By.cssSelector("#meter optgroup option")).isEmpty());
            new org.openqa.selenium.support.ui.Select(page.findElement(org.openqa.selenium.By.id("meter")))
                    .selectByValue(ViewsFixture.TOKENS_FIRST);
            new org.openqa.selenium.support.ui.Select(page.findElement(org.openqa.selenium.By.id("group-by")))
                    .selectByValue("model");
            showHourly(page, wait, from, to, "points");

            final Map<String, String> drawn = new TreeMap<>();
            for (final var point : page.findElements(org.openqa.selenium.By.cssSelector("#chart circle.point"))) {
                drawn.put(point.getDomAttribute("data-group") + "|" + point.getDomAttribute("data-window-start"),
                        plain(new BigDecimal(point.getDomAttribute("data-value"))));
            }
            assertEquals(expected, drawn, "every hour of every model, as the events add up");
            final java.util.Set<String> lines = new java.util.TreeSet<>();
            page.findElements(org.openqa.selenium.By.cssSelector("#chart polyline.line"))
                    .forEach(line -> lines.add(line.getDomAttribute("data-group")));
            assertEquals(java.util.Set.of("(none)", "claude", "gpt", "模型 é"), lines, "one line per group");
            browser.screenshot(Path.of("target", "analyst-page-groups.png"));
        }
    }

    /** Asks the page for hourly windows of [from, to) and waits until its status line holds {@code done}. */
    private static void showHourly(final org.openqa.selenium.WebDriver page,
                                   final org.openqa.selenium.support.ui.WebDriverWait wait, final Instant from,
                                   final Instant to, final String done) {
        new org.openqa.selenium.support.ui.Select(page.findElement(org.openqa.selenium.By.id("window")))
                .selectByVisibleText("HOUR");
        page.findElement(org.openqa.selenium.By.id("from")).sendKeys(from.toString());
        page.findElement(org.openqa.selenium.By.id("to")).sendKeys(to.toString());
        page.findElement(org.openqa.selenium.By.id("show")).click();
        wait.until(d -> d.findElement(org.openqa.selenium.By.id("status")).getText().contains(done));
    }

    @Test
    void shouldKeepMeterDefinitionsVersionedInTheTopicAndLetOnlyAdminKeysChangeThem() throws Exception {
        final String sum = "{\"eventType\": \"llm-call\", \"aggregation\": \"SUM\", \"valueProperty\": \"$.tokens\","
                + " \"groupBy\": {\"model\": \"$.model\"}, \"description\": \"Tokens\"}";
        assertProblem(send("PUT", "/api/meters/tokens", ViewsFixture.ACME_KEY, sum), 403, "/problems/forbidden");
        assertProblem(get("/api/meters/tokens", ViewsFixture.ACME_KEY), 404, "/problems/unknown-meter");

        final JsonNode created = json(send("PUT", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY, sum), 201);
        assertEquals(1, created.get("version").asInt());
        assertEquals("$.tokens", created.get("valueProperty").asText());
        assertEquals(created, json(send("PUT", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY, sum), 200),
                "the same definition again changes nothing");
        assertEquals(created, json(get("/api/meters/tokens", ViewsFixture.ACME_KEY), 200), "analysts read it");
        assertProblem(get("/api/meters/tokens", ViewsFixture.GLOBEX_KEY), 404, "/problems/unknown-meter");

        final JsonNode changed = json(send("PUT", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY,
                sum.replace("SUM", "MAX")), 200);
        assertEquals(2, changed.get("version").asInt(), "another computation is a new version");
        assertEquals(created.get("createdAt"), changed.get("createdAt"));
        assertEquals("SUM", changed.get("earlierVersions").get(0).get("aggregation").asText(),
                "what version 1 computed stays known, to read its results by");

        final HttpResponse<String> bad = send("PUT", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY,
                "{\"eventType\": \"llm-call\", \"aggregation\": \"MEDIAN\", \"groupBy\": {\"a b\": \"$.x\"}}");
        assertProblem(bad, 400, "/problems/invalid-meter");
        assertEquals(List.of("aggregation", "groupBy.a b"), fieldsOf(JSON.readTree(bad.body())));
        assertEquals(changed, json(get("/api/meters/tokens", ViewsFixture.ACME_KEY), 200), "a refusal changes nothing");

        assertProblem(send("DELETE", "/api/meters/tokens", ViewsFixture.ACME_KEY, null), 403, "/problems/forbidden");
        final JsonNode deleted = json(send("DELETE", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY, null), 200);
        assertTrue(deleted.get("deleted").asBoolean());
        assertEquals(2, deleted.get("version").asInt(), "history stays readable");
        assertEquals(deleted, json(get("/api/meters/tokens", ViewsFixture.ACME_KEY), 200));
        assertProblem(send("DELETE", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY, null), 404,
                "/problems/unknown-meter");
        final JsonNode again = json(send("PUT", "/api/meters/tokens", ViewsFixture.ACME_ADMIN_KEY, sum.replace("SUM",
                "MAX")), 201);
        assertEquals(3, again.get("version").asInt(), "defined again after a delete: a new version");

        // Another reader of the topic (as a second instance, or this one after a restart) sees the same records.
        try (MeterDefinitions reader = MeterDefinitions.start(dev.meterstream.support.kafka.KafkaConnection.plain(views.kafkaBootstrapServers()),
                EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5)))) {
            final StoredMeter read = reader.get("acme", "tokens").orElseThrow();
            assertEquals(3, read.version());
            assertEquals(Aggregation.MAX, read.definition().aggregation());
            assertTrue(reader.get("globex", "tokens").isEmpty());
        }

        // The list: event types with data and the live definitions taking each, every definition, and the types
        // no live definition takes.
        json(send("PUT", "/api/meters/meter-1-calls", ViewsFixture.ACME_ADMIN_KEY,
                "{\"eventType\": \"meter-1\", \"aggregation\": \"COUNT\"}"), 201);
        final JsonNode list = json(get("/api/meters", ViewsFixture.ACME_KEY), 200);
        final Map<String, List<String>> definedBy = new TreeMap<>();
        list.get("meters").forEach(m -> definedBy.put(m.get("meter").asText(),
                JSON.convertValue(m.get("definedBy"), List.class)));
        assertEquals(Map.of("meter-0", List.of(), "meter-1", List.of("meter-1-calls"), "rank-test", List.of()),
                definedBy);
        assertEquals(List.of("meter-0", "rank-test"), JSON.convertValue(list.get("undefined"), List.class));
        final List<String> slugs = new ArrayList<>();
        list.get("definitions").forEach(d -> slugs.add(d.get("slug").asText() + " v" + d.get("version").asInt()));
        assertEquals(List.of("meter-1-calls v1", "tokens v3"), slugs);
        assertEquals("{}", list.get("definitions").get(0).get("groupBy").toString(), "definitions are nested JSON");
        assertEquals(0, json(get("/api/meters", ViewsFixture.GLOBEX_KEY), 200).get("definitions").size(),
                "another tenant's definitions are not listed");
    }

    @Test
    void shouldComputeAMeterDefinedAfterItsEventsExactlyAsOneDefinedBefore() throws Exception {
        final String key = ViewsFixture.INITECH_KEY;
        final String admin = ViewsFixture.INITECH_ADMIN_KEY;
        json(send("PUT", "/api/meters/tokens-late", admin, ViewsFixture.TOKENS_DEFINITION), 201);
        json(send("PUT", "/api/meters/users", admin, "{\"eventType\": \"llm-call\", \"aggregation\":"
                + " \"UNIQUE_COUNT\", \"valueProperty\": \"$.user\", \"groupBy\": {\"model\": \"$.model\"}}"), 201);
        json(send("PUT", "/api/meters/latest", admin, "{\"eventType\": \"llm-call\", \"aggregation\":"
                + " \"LATEST\", \"valueProperty\": \"$.tokens\"}"), 201);
        final Instant from = ViewsFixture.BASE;
        final Instant to = from.plus(Duration.ofDays(3));
        final String range = "?from=" + from + "&to=" + to;
        for (final String slug : List.of("tokens-late", "users", "latest")) {
            Await.until(slug + " to be backfilled", Duration.ofSeconds(120), () ->
                    !json(get("/api/meters/" + slug + "/usage" + range, key), 200).get("backfilling").asBoolean());
        }
        // The coordinator that ran those backfills is alive, and says so in the processor's liveness.
        final HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(views.processorUrl()
                + "/observe/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("meter-backfills"), live.body());
        final JsonNode backfilling = json(get("/api/meters/tokens-late/usage" + range, key), 200);
        assertEquals(1, backfilling.get("version").asInt());
        assertTrue(backfilling.get("backfill") == null, "no progress once backfilled");

        // Window by window, the meter defined after 10,000 events equals the one defined before them.
        for (final String window : List.of("&window=HOUR&groupBy=model", "&window=DAY", "&groupBy=model",
                "&window=DAY&subject=subject-3&subject=subject-7&groupBy=model", "&window=HOUR&filter%5Bmodel%5D=gpt")) {
            assertEquals(points(ViewsFixture.TOKENS_FIRST, range + window), points("tokens-late", range + window),
                    window);
        }
        // And both equal the events themselves: each day's sum of tokens per model (absent: null).
        final Map<String, BigDecimal> expected = new TreeMap<>();
        final Map<String, BigDecimal> expectedOfSubject = new TreeMap<>();
        final Map<String, java.util.Set<String>> users = new TreeMap<>();
        UsageEvent latest = null;
        for (final UsageEvent event : views.events("initech")) {
            final String day = WindowSize.DAY.start(event.timestamp()) + "|" + event.properties().get("model");
            expected.merge(day, new BigDecimal(event.properties().get("tokens")), BigDecimal::add);
            if (event.subject().equals("subject-3")) {
                expectedOfSubject.merge(day, new BigDecimal(event.properties().get("tokens")), BigDecimal::add);
            }
            users.computeIfAbsent(String.valueOf(event.properties().get("model")), m -> new java.util.TreeSet<>())
                    .add(event.properties().get("user"));
            if (event.subject().equals("subject-3") && (latest == null
                    || event.timestamp().isAfter(latest.timestamp()))) {
                latest = event;
            }
        }
        final Map<String, BigDecimal> answered = new TreeMap<>();
        json(get("/api/meters/tokens-late/usage" + range + "&window=DAY&groupBy=model", key), 200).get("points")
                .forEach(point -> answered.put(point.get("windowStart").asText() + "|"
                        + (point.get("groupBy").get("model").isNull() ? null
                        : point.get("groupBy").get("model").asText()), point.get("value").decimalValue()));
        assertEquals(expected.keySet(), answered.keySet());
        expected.forEach((day, sum) -> assertEquals(plain(sum), plain(answered.get(day)), day));
        // A subject's days too (stored as its hours, merged when read).
        final Map<String, String> answeredOfSubject = new TreeMap<>();
        json(get("/api/meters/tokens-late/usage" + range + "&window=DAY&subject=subject-3&groupBy=model", key), 200)
                .get("points").forEach(point -> answeredOfSubject.put(point.get("windowStart").asText() + "|"
                        + (point.get("groupBy").get("model").isNull() ? null
                        : point.get("groupBy").get("model").asText()), plain(point.get("value").decimalValue())));
        final Map<String, String> plainOfSubject = new TreeMap<>();
        expectedOfSubject.forEach((day, sum) -> plainOfSubject.put(day, plain(sum)));
        assertEquals(plainOfSubject, answeredOfSubject, "subject-3's days");

        // Unique counts are exact over the whole range, by group and in all.
        final JsonNode byModel = json(get("/api/meters/users/usage" + range + "&groupBy=model", key), 200);
        final Map<String, Integer> usersAnswered = new TreeMap<>();
        byModel.get("points").forEach(point -> usersAnswered.put(String.valueOf(point.get("groupBy").get("model")
                .isNull() ? null : point.get("groupBy").get("model").asText()), point.get("value").asInt()));
        final Map<String, Integer> usersExpected = new TreeMap<>();
        users.forEach((model, set) -> usersExpected.put(model, set.size()));
        assertEquals(usersExpected, usersAnswered);
        final long allUsers = users.values().stream().flatMap(java.util.Set::stream).distinct().count();
        assertEquals(allUsers, json(get("/api/meters/users/usage" + range, key), 200).get("points").get(0)
                .get("value").asLong(), "the whole range's distinct users: a union, not a sum of groups");

        // LATEST is the value of the latest event.
        final JsonNode last = json(get("/api/meters/latest/usage" + range + "&subject=subject-3", key), 200);
        assertEquals(plain(new BigDecimal(latest.properties().get("tokens"))),
                plain(last.get("points").get(0).get("value")));
        assertEquals("subject-3", last.get("points").get(0).get("subject").asText());

        // Events sent after the definition are counted live, and still the two meters agree.
        final BigDecimal before = expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        views.sendLlmCalls(500, 2);
        Await.until("the events sent after the definitions to be counted by both meters", Duration.ofSeconds(120),
                () -> {
                    final List<JsonNode> first = points(ViewsFixture.TOKENS_FIRST, range + "&window=DAY");
                    return total(first).compareTo(before) > 0
                            && first.equals(points("tokens-late", range + "&window=DAY"));
                });

        // CSV: one column per dimension asked, one line per point.
        final HttpResponse<String> csv = checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl()
                        + "/api/meters/tokens-late/usage" + range + "&window=DAY&groupBy=model"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString()));
        final List<String> lines = List.of(csv.body().split("\r\n"));
        assertEquals("windowStart,windowEnd,groupBy.model,value", lines.getFirst());
        assertEquals(points("tokens-late", range + "&window=DAY&groupBy=model").size() + 1, lines.size());
        assertTrue(lines.contains(from + "," + from.plus(Duration.ofDays(1)) + ",gpt,"
                + plain(new BigDecimal(answeredDay(key, range, from, "gpt")))), csv.body());

        assertProblem(get("/api/meters/tokens-late/usage" + range + "&groupBy=colour", key), 400,
                "/problems/invalid-query");
        assertProblem(get("/api/meters/tokens-late/usage" + range + "&filter%5Bcolour%5D=red", key), 400,
                "/problems/invalid-query");
        assertProblem(get("/api/meters/tokens-late/usage?from=" + from + "&to=" + from.plus(Duration.ofDays(1001)),
                key), 400, "/problems/invalid-query");
        json(get("/api/meters/tokens-late/usage?from=" + from + "&to=" + from.plus(Duration.ofDays(1000)), key), 200);
    }

    /**
     * A subject's minutes are folded from its events when read (not stored): they equal the events, and for a
     * version deleted since, they stop where its counting stopped, so they still add up to its stored hours.
     */
    @Test
    void shouldFoldASubjectsMinutesFromItsEventsAndStopWhereADeletedVersionStopped() throws Exception {
        final String key = ViewsFixture.INITECH_KEY;
        final String admin = ViewsFixture.INITECH_ADMIN_KEY;
        json(send("PUT", "/api/meters/calls-ended", admin, "{\"eventType\": \"llm-call\", \"aggregation\":"
                + " \"COUNT\"}"), 201);
        final String range = "?from=" + ViewsFixture.BASE + "&to=" + ViewsFixture.BASE.plus(Duration.ofDays(3));
        Await.until("calls-ended to be backfilled", Duration.ofSeconds(120), () ->
                !json(get("/api/meters/calls-ended/usage" + range, key), 200).get("backfilling").asBoolean());
        awaitCounted(ViewsFixture.TOKENS_FIRST);

        // Six hours of subject-3's minutes by model equal its events.
        final Instant from = ViewsFixture.BASE.plus(Duration.ofHours(30));
        final Instant to = from.plus(Duration.ofHours(6));
        final Map<String, String> expected = new TreeMap<>();
        final Map<String, BigDecimal> sums = new TreeMap<>();
        for (final UsageEvent event : views.events("initech")) {
            if (event.subject().equals("subject-3") && !event.timestamp().isBefore(from)
                    && event.timestamp().isBefore(to)) {
                sums.merge(WindowSize.MINUTE.start(event.timestamp()) + "|" + event.properties().get("model"),
                        new BigDecimal(event.properties().get("tokens")), BigDecimal::add);
            }
        }
        sums.forEach((minute, sum) -> expected.put(minute, plain(sum)));
        final Map<String, String> answered = new TreeMap<>();
        json(get("/api/meters/" + ViewsFixture.TOKENS_FIRST + "/usage?from=" + from + "&to=" + to
                + "&window=MINUTE&subject=subject-3&groupBy=model", key), 200).get("points").forEach(point ->
                answered.put(point.get("windowStart").asText() + "|" + (point.get("groupBy").get("model").isNull()
                        ? null : point.get("groupBy").get("model").asText()), plain(point.get("value"))));
        assertTrue(expected.size() > 20, expected.size() + " minutes");
        assertEquals(expected, answered, "subject-3's minutes");

        // An answer may fold only so many events; past that it says what to ask for instead.
        final HttpResponse<String> tooMany = get("/api/meters/" + ViewsFixture.TOKENS_FIRST + "/usage?from="
                + ViewsFixture.BASE + "&to=" + ViewsFixture.BASE.plus(Duration.ofMinutes(1000))
                + "&window=MINUTE&subject=subject-3", key);
        assertProblem(tooMany, 400, "/problems/too-many-events");
        assertTrue(tooMany.body().contains("HOUR"), tooMany.body());

        // Deleted: once it has stopped counting (events counted by tokens-first leave it as it was), more events
        // come; its minutes, folded from all the events, must leave them out as its hours do.
        json(send("DELETE", "/api/meters/calls-ended", admin, null), 200);
        final long[] seed = {100};
        final BigDecimal[] last = {total(points("calls-ended", range))};
        Await.until("calls-ended to stop counting", Duration.ofSeconds(60), () -> {
            views.sendLlmCalls(50, seed[0]++);
            awaitCounted(ViewsFixture.TOKENS_FIRST);
            final BigDecimal now = total(points("calls-ended", range));
            final boolean stopped = now.equals(last[0]);
            last[0] = now;
            return stopped;
        });
        views.sendLlmCalls(500, 99);
        awaitCounted(ViewsFixture.TOKENS_FIRST);
        final String window = "?from=" + from + "&to=" + to;
        final Map<String, BigDecimal> minutesByHour = new TreeMap<>();
        final Map<String, BigDecimal> hours = new TreeMap<>();
        final StringBuilder subjects = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            // One subject per answer: the bound is on all the events one answer reads.
            final String subject = "&subject=subject-" + i;
            subjects.append(subject);
            final JsonNode minutes = json(get("/api/meters/calls-ended/usage" + window + "&window=MINUTE" + subject,
                    key), 200);
            assertTrue(minutes.get("deleted").asBoolean());
            minutes.get("points").forEach(point -> minutesByHour.merge(point.get("subject").asText() + "|"
                            + WindowSize.HOUR.start(Instant.parse(point.get("windowStart").asText())),
                    point.get("value").decimalValue(), BigDecimal::add));
        }
        json(get("/api/meters/calls-ended/usage" + window + "&window=HOUR" + subjects, key), 200).get("points")
                .forEach(point -> hours.put(point.get("subject").asText() + "|" + point.get("windowStart").asText(),
                        point.get("value").decimalValue()));
        assertProblem(get("/api/meters/calls-ended/usage" + window + "&window=MINUTE" + subjects, key), 400,
                "/problems/too-many-events");
        assertTrue(hours.size() > 20, hours.size() + " subject hours");
        assertEquals(hours, minutesByHour, "a deleted version's minutes add up to its hours");
    }

    /** Waits until a SUM of tokens defined before any event has counted every event of initech sent so far. */
    private void awaitCounted(final String slug) {
        final BigDecimal sent = views.events("initech").stream()
                .map(event -> new BigDecimal(event.properties().get("tokens"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        Await.until(slug + " to count every event sent", Duration.ofSeconds(120), () ->
                total(points(slug, "?from=" + ViewsFixture.BASE + "&to=" + ViewsFixture.BASE.plus(Duration.ofDays(3))))
                        .compareTo(sent) == 0);
    }

    /** The value of one day's point of tokens-late for one model, as JSON answers it. */
    private String answeredDay(final String key, final String range, final Instant day, final String model)
            throws Exception {
        for (final JsonNode point : json(get("/api/meters/tokens-late/usage" + range + "&window=DAY&groupBy=model",
                key), 200).get("points")) {
            if (point.get("windowStart").asText().equals(day.toString())
                    && model.equals(point.get("groupBy").get("model").asText(null))) {
                return point.get("value").asText();
            }
        }
        throw new AssertionError("no point for " + model + " on " + day);
    }

    private List<JsonNode> points(final String slug, final String query) throws Exception {
        final List<JsonNode> points = new ArrayList<>();
        json(get("/api/meters/" + slug + "/usage" + query, ViewsFixture.INITECH_KEY), 200).get("points")
                .forEach(points::add);
        return points;
    }

    private static BigDecimal total(final List<JsonNode> points) {
        return points.stream().map(point -> point.get("value").decimalValue()).reduce(BigDecimal.ZERO,
                BigDecimal::add);
    }

    private HttpResponse<String> send(final String method, final String path, final String key, final String body)
            throws Exception {
        return checked(http.send(HttpRequest.newBuilder(URI.create(views.baseUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code answer}, once it has been checked against the API's OpenAPI document. */
    private static HttpResponse<String> checked(final HttpResponse<String> answer) {
        return API.check(answer);
    }

    private static List<String> fieldsOf(final JsonNode problem) {
        final List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private List<String> meters(final String key) throws Exception {
        final List<String> meters = new ArrayList<>();
        json(get("/api/meters", key), 200).get("meters").forEach(m -> meters.add(m.get("meter").asText()));
        return meters;
    }

    private Map<String, WindowAggregate> expectedAggregates(final String tenant, final WindowSize size) {
        final Map<String, WindowAggregate> aggregates = new TreeMap<>();
        for (final UsageEvent event : views.events(tenant)) {
            final WindowAggregate one = WindowAggregate.of(event, size);
            aggregates.merge(one.key(), one, (total, ignored) -> total.add(event));
        }
        return aggregates;
    }

    private HttpResponse<String> get(final String path, final String key) throws Exception {
        return get(views.baseUrl(), path, key);
    }

    private HttpResponse<String> get(final QueryServer server, final String path, final String key) throws Exception {
        return get("http://127.0.0.1:" + server.port(), path, key);
    }

    private HttpResponse<String> get(final String baseUrl, final String path, final String key) throws Exception {
        return checked(http.send(HttpRequest.newBuilder(URI.create(baseUrl + path.replace("+", "%2B")))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode json(final HttpResponse<String> response, final int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void assertProblem(final HttpResponse<String> response, final int status, final String type)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(type, JSON.readTree(response.body()).get("type").asText());
    }

    private static String plain(final BigDecimal value) {
        return Quantity.text(Quantity.canonical(value));
    }

    private static String plain(final JsonNode number) {
        return plain(number.decimalValue());
    }
}
