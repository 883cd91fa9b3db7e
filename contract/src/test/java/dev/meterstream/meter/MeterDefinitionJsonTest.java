package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterDefinitionJsonTest {
    private static final EventRules RULES = EventRules.of(Duration.ofDays(1), Duration.ofMinutes(5));

    private static MeterDefinitionJson.Parsed parse(final String slug, final String json) {
        return MeterDefinitionJson.parse(slug, json.getBytes(StandardCharsets.UTF_8), RULES);
    }

    private static List<String> fields(final MeterDefinitionJson.Parsed parsed) {
        return parsed.violations().stream().map(Violation::field).toList();
    }

    @Test
    void shouldReadAFullDefinitionAndWriteItBack() {
        final MeterDefinitionJson.Parsed parsed = parse("tokens", """
                {"eventType": "llm-call", "aggregation": "sum", "valueProperty": "$.tokens",
                 "groupBy": {"model": "$.model", "region": "$['cloud region']"}, "description": "Tokens"}""");

        assertTrue(parsed.valid(), parsed.violations().toString());
        final MeterDefinition definition = parsed.definition();
        assertEquals(Aggregation.SUM, definition.aggregation());
        assertEquals(new PropertyPath("tokens"), definition.value());
        assertEquals(List.of("model", "region"), List.copyOf(definition.groupBy().keySet()));
        assertEquals("cloud region", definition.groupBy().get("region").key());
        assertEquals("{\"slug\":\"tokens\",\"eventType\":\"llm-call\",\"aggregation\":\"SUM\","
                + "\"valueProperty\":\"$.tokens\",\"groupBy\":{\"model\":\"$.model\",\"region\":\"$['cloud region']\"},"
                + "\"description\":\"Tokens\"}", MeterDefinitionJson.write(definition).toString());
        final MeterDefinitionJson.Parsed again = MeterDefinitionJson.parse("tokens",
                MeterDefinitionJson.write(definition).without("slug").toString().getBytes(StandardCharsets.UTF_8),
                RULES);
        assertEquals(definition, again.definition(), "what is written reads back the same");
    }

    @Test
    void countShouldNeedNoValueAndRefuseOne() {
        assertTrue(parse("calls", "{\"eventType\": \"api-calls\", \"aggregation\": \"COUNT\"}").valid());
        assertNull(parse("calls", "{\"eventType\": \"api-calls\", \"aggregation\": \"COUNT\"}").definition().value());
        assertEquals(List.of("valueProperty"),
                fields(parse("calls", "{\"eventType\": \"a\", \"aggregation\": \"COUNT\", \"valueProperty\": \"$.x\"}")));
    }

    @Test
    void everyOtherAggregationShouldNeedAValue() {
        for (final Aggregation aggregation : Aggregation.values()) {
            final MeterDefinitionJson.Parsed parsed = parse("m", "{\"eventType\": \"a\", \"aggregation\": \""
                    + aggregation + "\"}");
            assertEquals(aggregation == Aggregation.COUNT, parsed.valid(), aggregation.toString());
            if (!parsed.valid()) {
                assertEquals(List.of("valueProperty"), fields(parsed), aggregation.toString());
            }
        }
    }

    @Test
    void shouldNameEveryBadField() {
        final MeterDefinitionJson.Parsed parsed = parse("Bad Slug", """
                {"eventType": "Not A Slug", "aggregation": "MEDIAN", "valueProperty": "$.a.b",
                 "groupBy": {"ok": "$.x", "bad name": "$.y", "empty": ""}, "description": 7, "filter": {}}""");

        assertFalse(parsed.valid());
        assertEquals(List.of("slug", "filter", "eventType", "aggregation", "valueProperty", "groupBy.bad name",
                "groupBy.empty", "description"), fields(parsed));
    }

    @Test
    void shouldRefuseMoreThanFiveDimensionsAndWhatIsNotAnObject() {
        assertEquals(List.of("groupBy"), fields(parse("m", "{\"eventType\": \"a\", \"aggregation\": \"COUNT\", "
                + "\"groupBy\": {\"a\":\"$.a\",\"b\":\"$.b\",\"c\":\"$.c\",\"d\":\"$.d\",\"e\":\"$.e\",\"f\":\"$.f\"}}")));
        assertEquals(List.of(""), fields(parse("m", "[1]")));
        assertEquals(List.of(""), fields(parse("m", "{")));
        assertEquals(List.of("eventType", "aggregation"), fields(parse("m", "{}")));
    }

    @Test
    void pathsShouldBeOneMemberOfTheProperties() {
        assertEquals("tokens", PropertyPath.parse("$.tokens").key());
        assertEquals("a.b", PropertyPath.parse("$['a.b']").key());
        assertEquals("é 😀", PropertyPath.parse("$[\"é 😀\"]").key());
        assertEquals("$['a.b']", new PropertyPath("a.b").text());
        assertEquals("$.model-id", new PropertyPath("model-id").text());
        for (final String bad : List.of("tokens", "$", "$.", "$.a.b", "$.a[0]", "$['']", "$['a'b']", "$..a",
                "$['a\u0000']")) {
            assertThrows(IllegalArgumentException.class, () -> PropertyPath.parse(bad), bad);
        }
        assertEquals(java.util.Optional.of("7"), new PropertyPath("n").valueIn(Map.of("n", "7")));
    }

    @Test
    void onlyTheDescriptionShouldChangeNoResult() {
        final MeterDefinition base = parse("m", "{\"eventType\": \"a\", \"aggregation\": \"SUM\", "
                + "\"valueProperty\": \"$.v\", \"groupBy\": {\"x\": \"$.x\", \"y\": \"$.y\"}}").definition();
        assertTrue(base.sameComputation(parse("m", "{\"eventType\": \"a\", \"aggregation\": \"SUM\", "
                + "\"valueProperty\": \"$.v\", \"groupBy\": {\"y\": \"$.y\", \"x\": \"$.x\"}, \"description\": \"new\"}")
                .definition()), "order of dimensions and the description change nothing");
        for (final String changed : List.of(
                "{\"eventType\": \"b\", \"aggregation\": \"SUM\", \"valueProperty\": \"$.v\", \"groupBy\": {\"x\": \"$.x\", \"y\": \"$.y\"}}",
                "{\"eventType\": \"a\", \"aggregation\": \"MAX\", \"valueProperty\": \"$.v\", \"groupBy\": {\"x\": \"$.x\", \"y\": \"$.y\"}}",
                "{\"eventType\": \"a\", \"aggregation\": \"SUM\", \"valueProperty\": \"$.w\", \"groupBy\": {\"x\": \"$.x\", \"y\": \"$.y\"}}",
                "{\"eventType\": \"a\", \"aggregation\": \"SUM\", \"valueProperty\": \"$.v\", \"groupBy\": {\"x\": \"$.x\"}}",
                "{\"eventType\": \"a\", \"aggregation\": \"SUM\", \"valueProperty\": \"$.v\", \"groupBy\": {\"x\": \"$.z\", \"y\": \"$.y\"}}")) {
            assertFalse(base.sameComputation(parse("m", changed).definition()), changed);
        }
    }
}
