package dev.meterstream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventParserTest {
    private static final ObjectMapper JSON = EventParser.READER;
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final EventParser parser = new EventParser(EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5)));

    private EventParser.Result parse(final String json) throws Exception {
        return parse(json, EventParser.Fields.NATIVE);
    }

    private EventParser.Result parse(final String json, final EventParser.Fields fields) throws Exception {
        final JsonNode node = JSON.readTree(json);
        return parser.parse(node, fields, "acme", NOW, () -> "generated-id");
    }

    private List<Violation> violations(final String json) throws Exception {
        return assertInstanceOf(EventParser.Rejected.class, parse(json)).violations();
    }

    @Test
    void shouldAcceptAFullEvent() throws Exception {
        final UsageEvent event = assertInstanceOf(EventParser.Accepted.class, parse("""
                {"id":"e-1","subject":"customer-7","meter":"api-calls","quantity":2.5,
                 "timestamp":"2026-11-23T11:59:00.123456+01:00","properties":{"region":"eu"}}""")).event();
        assertEquals(new UsageEvent("acme", "e-1", "customer-7", "api-calls", 2.5,
                Instant.parse("2026-11-23T10:59:00.123456Z"), Map.of("region", "eu"), NOW), event);
    }

    @Test
    void shouldDefaultIdQuantityAndTimestamp() throws Exception {
        final UsageEvent event = assertInstanceOf(EventParser.Accepted.class,
                parse("{\"subject\":\"s\",\"meter\":\"m\"}")).event();
        assertEquals("generated-id", event.id());
        assertEquals(BigDecimal.ONE, event.quantity());
        assertEquals(NOW, event.timestamp());
    }

    @Test
    void shouldNameEveryBrokenRule() throws Exception {
        assertEquals(List.of(
                new Violation("id", "must not be empty"),
                new Violation("subject", "is required"),
                new Violation("meter", "must be a slug: lower-case letters and digits, separated by single '.', '-' or "
                        + "'_' (e.g. api-calls)"),
                new Violation("quantity", "must be at least 0"),
                new Violation("timestamp", "must be an RFC 3339 date-time with an offset, like 2026-11-23T14:05:00Z")),
                violations("{\"id\":\"\",\"meter\":\"API Calls\",\"quantity\":-1,\"timestamp\":\"yesterday\"}"));
    }

    @Test
    void shouldRejectWrongTypes() throws Exception {
        assertEquals(List.of(
                new Violation("id", "must be a string"),
                new Violation("subject", "must be a string"),
                new Violation("quantity", "must be a number or a decimal string like \"12.5\""),
                new Violation("properties", "must be an object of string values")),
                violations("{\"id\":7,\"subject\":{},\"meter\":\"m\",\"quantity\":true,\"properties\":[1]}"));
    }

    @Test
    void shouldReserveSubjectsStartingWithAStarForTotalsOverAllSubjects() throws Exception {
        assertEquals(List.of(new Violation("subject", "must not start with '*' (reserved for totals over all "
                + "subjects)")), violations("{\"subject\":\"*3\",\"meter\":\"m\"}"));
    }

    @Test
    void shouldRejectQuantitiesThatOverflowToInfinity() throws Exception {
        assertEquals(List.of(new Violation("quantity", "must have at most 38 significant digits")),
                violations("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":1e400}"));
    }

    @Test
    void shouldRejectTimestampsTooFarInTheFutureOrPastTheLatenessHorizon() throws Exception {
        assertEquals(List.of(new Violation("timestamp", "must not be more than 5 minutes in the future")),
                violations("{\"subject\":\"s\",\"meter\":\"m\",\"timestamp\":\"2026-11-23T12:05:01Z\"}"));
        assertEquals(List.of(new Violation("timestamp", "must not be older than the lateness horizon of 35 days")),
                violations("{\"subject\":\"s\",\"meter\":\"m\",\"timestamp\":\"2026-10-19T11:59:59Z\"}"));
        assertInstanceOf(EventParser.Accepted.class,
                parse("{\"subject\":\"s\",\"meter\":\"m\",\"timestamp\":\"2026-10-19T12:00:00Z\"}"));
    }

    @Test
    void shouldRejectUnknownFieldsIncludingATenantInTheBody() throws Exception {
        final List<Violation> violations = violations("{\"subject\":\"s\",\"meter\":\"m\",\"tenant\":\"other\"}");
        assertEquals(1, violations.size());
        assertEquals("tenant", violations.getFirst().field());
    }

    @Test
    void shouldBoundStringsAndProperties() throws Exception {
        final String longSubject = "x".repeat(257);
        assertEquals(List.of(new Violation("subject", "must be at most 256 characters")),
                violations("{\"subject\":\"" + longSubject + "\",\"meter\":\"m\"}"));
        assertEquals(List.of(new Violation("properties.k", "must be a string (properties are a flat map of strings)")),
                violations("{\"subject\":\"s\",\"meter\":\"m\",\"properties\":{\"k\":{\"nested\":\"no\"}}}"));
        final StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertEquals(List.of(new Violation("properties", "must have at most 32 entries")),
                violations("{\"subject\":\"s\",\"meter\":\"m\",\"properties\":" + many + "}}"));
    }

    @Test
    void shouldMapCloudEventsAndNameFieldsTheCloudEventsWay() throws Exception {
        final UsageEvent event = assertInstanceOf(EventParser.Accepted.class, parse("""
                {"specversion":"1.0","id":"ce-1","source":"/billing","type":"storage.gb-hours","subject":"bucket-9",
                 "time":"2026-11-23T11:00:00Z","data":{"quantity":12}}""", EventParser.Fields.CLOUDEVENTS)).event();
        assertEquals("storage.gb-hours", event.meter());
        assertEquals(new BigDecimal("12"), event.quantity());
        assertEquals(Instant.parse("2026-11-23T11:00:00Z"), event.timestamp());
        assertEquals(List.of(new Violation("data.quantity", "must be a number or a decimal string like \"12.5\"")),
                assertInstanceOf(EventParser.Rejected.class, parse("""
                        {"specversion":"1.0","source":"/b","id":"ce-2","type":"m","subject":"s",
                         "data":{"quantity":"many"}}""",
                        EventParser.Fields.CLOUDEVENTS)).violations());
    }

    @Test
    void shouldTakeOnlyCloudEvents10WithASource() throws Exception {
        assertEquals(List.of(new Violation("specversion", "must be \"1.0\", the only CloudEvents version this API "
                        + "reads")), cloudEventViolations("{\"specversion\":\"0.3\",\"source\":\"/b\",\"id\":\"a\","
                + "\"type\":\"m\",\"subject\":\"s\"}"));
        assertEquals(List.of(new Violation("specversion", "is required (\"1.0\")"),
                new Violation("source", "is required (a URI-reference naming what produced the event)")),
                cloudEventViolations("{\"id\":\"a\",\"type\":\"m\",\"subject\":\"s\"}"));
        assertEquals(List.of(new Violation("specversion", "must be \"1.0\", the only CloudEvents version this API "
                        + "reads"), new Violation("source", "must be a non-empty string")),
                cloudEventViolations("{\"specversion\":1.0,\"source\":\"\",\"id\":\"a\",\"type\":\"m\","
                        + "\"subject\":\"s\"}"));
    }

    @Test
    void shouldCountTheDataOfDataBase64WhenItIsJsonAndRefuseItOtherwise() throws Exception {
        final String head = "{\"specversion\":\"1.0\",\"source\":\"/b\",\"id\":\"a\",\"type\":\"m\",\"subject\":\"s\"";
        final String data = java.util.Base64.getEncoder().encodeToString(
                "{\"quantity\":7,\"properties\":{\"region\":\"eu\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final UsageEvent event = assertInstanceOf(EventParser.Accepted.class, parse(head + ",\"data_base64\":\""
                + data + "\"}", EventParser.Fields.CLOUDEVENTS)).event();
        assertEquals(new BigDecimal("7"), event.quantity());
        assertEquals(Map.of("region", "eu"), event.properties());
        assertInstanceOf(EventParser.Accepted.class, parse(head + ",\"datacontenttype\":\"application/json; "
                + "charset=utf-8\",\"data_base64\":\"" + data + "\"}", EventParser.Fields.CLOUDEVENTS));
        assertEquals(List.of(new Violation("datacontenttype", "must be application/json or a +json type: the data "
                        + "is read as JSON for its quantity and properties")),
                cloudEventViolations(head + ",\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\""
                        + data + "\"}"));
        final String notJson = java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        for (final String base64 : List.of("\"" + notJson + "\"", "\"%%%\"", "5", "\"" + java.util.Base64.getEncoder()
                .encodeToString("[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"")) {
            assertEquals(List.of(new Violation("data_base64", "must be base64 (RFC 4648) of a JSON object (quantity, "
                    + "properties)")), cloudEventViolations(head + ",\"data_base64\":" + base64 + "}"), base64);
        }
        assertEquals(List.of(new Violation("data_base64", "must not be sent with data: an event has one or the "
                + "other")), cloudEventViolations(head + ",\"data\":{},\"data_base64\":\"" + data + "\"}"));
        assertEquals(List.of(new Violation("data", "must be an object (quantity, properties)")),
                cloudEventViolations(head + ",\"data\":\"5\"}"));
    }

    private List<Violation> cloudEventViolations(final String json) throws Exception {
        return assertInstanceOf(EventParser.Rejected.class, parse(json, EventParser.Fields.CLOUDEVENTS))
                .violations();
    }

    @Test
    void shouldRequireAnIdUnlessTheTenantMayHaveTheServerMakeOne() throws Exception {
        final JsonNode node = JSON.readTree("{\"subject\":\"s\",\"meter\":\"m\"}");
        assertEquals(List.of(new Violation("id", "is required (a client-made id makes retries safe: copies of an id "
                        + "are counted once)")),
                assertInstanceOf(EventParser.Rejected.class,
                        parser.parse(node, EventParser.Fields.NATIVE, "acme", NOW, null)).violations());
    }

    @Test
    void shouldRejectUnpairedSurrogatesAndControlCharactersInEveryString() throws Exception {
        assertEquals(List.of(
                new Violation("id", "must be well-formed Unicode (found an unpaired surrogate U+D800 at index 1)"),
                new Violation("subject", "must not contain control characters (found U+0000 at index 1)"),
                new Violation("properties.k", "must be well-formed Unicode (found an unpaired surrogate U+DC00 at "
                        + "index 1)"),
                new Violation("properties.\\uD83D", "must be well-formed Unicode (found an unpaired surrogate "
                        + "U+D83D at index 0)"),
                new Violation("properties.t", "must not contain control characters (found U+007F at index 0)")),
                violations("""
                        {"id":"a\\ud800","subject":"s\\u0000","meter":"m","properties":{"k":"x\\udc00",
                         "\\ud83d":"v","t":"\\u007f"}}"""));
        assertEquals(List.of(new Violation("source", "must not contain control characters (found U+0009 at index 1)"),
                        new Violation("\\uDFFF", "names must be well-formed Unicode without control characters")),
                assertInstanceOf(EventParser.Rejected.class, parse("""
                        {"specversion":"1.0","id":"ce-1","source":"/\\t","\\udfff":"x","type":"m","subject":"s"}""",
                        EventParser.Fields.CLOUDEVENTS)).violations());
    }

    @Test
    void shouldAcceptPairedSurrogatesRightToLeftTextAndCombiningMarks() throws Exception {
        final String odd = "\uD83D\uDE80 \u05E9\u05DC\u05D5\u05DD e\u0301";
        final UsageEvent event = assertInstanceOf(EventParser.Accepted.class, parse(JSON.createObjectNode()
                .put("id", odd).put("subject", odd).put("meter", "m").set("properties",
                        JSON.createObjectNode().put(odd, odd)).toString())).event();
        assertEquals(odd, event.id());
        assertEquals(Map.of(odd, odd), event.properties());
    }

    @Test
    void shouldReadQuantitiesAsExactDecimalsFromNumbersAndDecimalStrings() throws Exception {
        for (final String[] kase : new String[][] {
            {"9007199254740993", "9007199254740993"},
            {"\"9007199254740993\"", "9007199254740993"},
            {"0.1", "0.1"},
            {"\"0.000000000000000001\"", "0.000000000000000001"},
            {"1e-18", "0.000000000000000001"},
            {"2.50", "2.5"},
            {"1E+3", "1000"},
            {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"}}) {
            final UsageEvent event = assertInstanceOf(EventParser.Accepted.class,
                    parse("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":" + kase[0] + "}"),
                    kase[0]).event();
            assertEquals(kase[1], event.quantity().toPlainString(), kase[0]);
        }
        assertEquals(List.of(new Violation("quantity", "must have at most 38 significant digits")),
                violations("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":"
                        + "123456789012345678901234567890123456789}"));
        assertEquals(List.of(new Violation("quantity", "must have at most 18 digits after the decimal point")),
                violations("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":1e-19}"));
        for (final String text : new String[] {"\"0x10\"", "\"1,5\"", "\" 1\"", "\"NaN\"", "\"Infinity\"", "\"\""}) {
            assertEquals(List.of(new Violation("quantity", "must be a number or a decimal string like \"12.5\"")),
                    violations("{\"id\":\"e\",\"subject\":\"s\",\"meter\":\"m\",\"quantity\":" + text + "}"),
                    text);
        }
    }

    @Test
    void shouldCheckMeterSlugsExactlyAsTheirPatternSays() {
        final java.util.regex.Pattern slug = java.util.regex.Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
        final java.util.Random random = new java.util.Random(5);
        final String alphabet = "ab09._-A /";
        for (int i = 0; i < 100_000; i++) {
            final StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(slug.matcher(text).matches(), EventRules.isSlug(text.toString()), text.toString());
        }
    }

    @Test
    void shouldRejectANonObject() throws Exception {
        assertEquals(List.of(new Violation("", "an event must be a JSON object")), violations("[1]"));
    }
}
