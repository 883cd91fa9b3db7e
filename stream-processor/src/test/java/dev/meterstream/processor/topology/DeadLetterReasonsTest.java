package dev.meterstream.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.EventKey;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.EventRules;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every reason the processor has to dead-letter a well-formed raw record is a rule the edge applies first: for each
 * rule, an event that breaks it is refused by the edge's parser (so no client can get a 202 for it), and the same
 * event, written to the raw topic by someone else, is dead-lettered by the processor with that field named.
 */
class DeadLetterReasonsTest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            // So that the raw records below can carry what a careless producer would: lone surrogates, controls.
            .enable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            .build();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final EventRules RULES = EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5));
    private static final Instant BEFORE_1970 = Instant.parse("1960-01-01T00:00:00Z");

    /** Each case: the field the processor names, and how it breaks a valid event (client form, native fields). */
    private static final Map<String, Consumer<ObjectNode>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("id", e -> e.put("id", "a\ud800"));
        CASES.put("id ", e -> e.put("id", "x".repeat(RULES.maxIdLength() + 1)));
        CASES.put("subject", e -> e.put("subject", "s\u0000"));
        CASES.put("subject ", e -> e.put("subject", "*3"));
        CASES.put("subject  ", e -> e.put("subject", ""));
        CASES.put("meter", e -> e.put("meter", "API Calls"));
        CASES.put("quantity", e -> e.put("quantity", -1));
        CASES.put("timestamp", e -> e.put("timestamp", "2026-11-23T12:05:01Z"));
        CASES.put("timestamp ", e -> e.put("timestamp", "2026-10-19T11:59:59Z"));
        CASES.put("properties", e -> {
            final ObjectNode many = e.putObject("properties");
            for (int i = 0; i <= RULES.maxProperties(); i++) {
                many.put("k" + i, "v");
            }
        });
        CASES.put("properties.k", e -> e.putObject("properties").put("k", "x\udc00"));
        CASES.put("properties.k ", e -> e.putObject("properties").put("k", "\u007f"));
        CASES.put("properties.k  ", e -> e.putObject("properties").put("k", "v".repeat(RULES.maxPropertyValueLength()
                + 1)));
        CASES.put("properties.\\uD83D", e -> e.putObject("properties").put("\ud83d", "v"));
    }

    private static ObjectNode valid() {
        return JSON.createObjectNode().put("id", "e-1").put("subject", "s").put("meter", "m").put("quantity", 1)
                .put("timestamp", "2026-11-23T11:00:00Z");
    }

    /** The event as the edge would have written it to the raw topic, had it let it through. */
    private static byte[] raw(final ObjectNode client) throws Exception {
        final ObjectNode raw = client.deepCopy();
        raw.put("tenant", "acme").put("receivedAt", NOW.toString());
        return JSON.writeValueAsBytes(raw);
    }

    @Test
    void shouldHaveTheEdgeRefuseEveryEventTheProcessorWouldDeadLetter() throws Exception {
        final EventParser edge = new EventParser(RULES);
        final Set<String> named = new TreeSet<>();
        for (final Map.Entry<String, Consumer<ObjectNode>> kase : CASES.entrySet()) {
            final String field = kase.getKey().strip();
            final ObjectNode event = valid();
            kase.getValue().accept(event);

            final List<Violation> refused = assertInstanceOf(EventParser.Rejected.class,
                    edge.parse(event, EventParser.Fields.NATIVE, "acme", NOW, null),
                    "the edge must refuse " + event).violations();
            assertEquals(field, refused.getFirst().field(), "the edge names the field for " + event);

            final Decoded decoded = DecodeProcessor.decode(EventKey.of("acme", event.get("id").textValue()),
                    raw(event), RULES);
            assertFalse(decoded.ok(), "the processor must dead-letter " + event);
            // Jackson's reader refuses a lone surrogate in a field name itself; elsewhere the rules name it.
            assertTrue(decoded.error().contains(field + " " + refused.getFirst().detail())
                            || decoded.error().startsWith("not valid JSON: Broken surrogate pair in field name"),
                    "the processor gives the edge's reason: " + decoded.error());
            named.add(field.contains(".") ? "properties.*" : field);
        }
        // Every field the processor checks has a case, except the two no client sets (the edge fills them in). An
        // event that breaks everything at once shows which fields those are, so a new rule needs a case here.
        final Set<String> checked = new TreeSet<>();
        RULES.check(new UsageEvent("", "", "", "", -1, BEFORE_1970, Map.of("", "\u0000"), BEFORE_1970))
                .forEach(violation -> checked.add(violation.field().startsWith("properties.") ? "properties.*"
                        : violation.field()));
        checked.add("properties");
        named.add("tenant");
        named.add("receivedAt");
        assertEquals(checked, named);
    }

    @Test
    void shouldDeadLetterRecordsOnlyOthersCanWrite() throws Exception {
        final ObjectNode event = valid();
        assertNull(DecodeProcessor.decode("acme/e-1", raw(event), RULES).error());
        assertEquals("record key 'acme/e-?' is not the event's key 'acme/e-1'",
                DecodeProcessor.decode("acme/e-?", raw(event), RULES).error());
        final ObjectNode old = valid().put("timestamp", "1969-12-31T23:59:59Z");
        final ObjectNode raw = (ObjectNode) JSON.readTree(raw(old));
        raw.put("receivedAt", "1970-01-01T00:00:00Z");
        assertEquals("the event breaks the edge's rules: timestamp must not be before 1970-01-01T00:00:00Z",
                DecodeProcessor.decode("acme/e-1", JSON.writeValueAsBytes(raw), RULES).error());
        assertTrue(DecodeProcessor.decode("acme/e-1", "{".getBytes(), RULES).error().startsWith("not valid JSON"));
    }
}
