package dev.meterstream.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.EventRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoredMeterTest {
    private static final EventRules RULES = EventRules.of(Duration.ofDays(1), Duration.ofMinutes(5));
    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);

    private static MeterDefinition sum(final String property, final String description) {
        return new MeterDefinition("tokens", "llm-call", Aggregation.SUM, new PropertyPath(property),
                Map.of("model", new PropertyPath("model")), description);
    }

    @Test
    void theFirstPutShouldCreateVersionOne() {
        final StoredMeter.Put put = StoredMeter.put(Optional.empty(), "acme", sum("tokens", ""), T0);

        assertEquals(StoredMeter.Outcome.CREATED, put.outcome());
        assertEquals(1, put.meter().version());
        assertEquals("acme/tokens", put.meter().key());
        assertFalse(put.meter().deleted());
    }

    @Test
    void theSameDefinitionShouldChangeNothingAndANewDescriptionOnlyTheRecord() {
        final StoredMeter first = StoredMeter.put(Optional.empty(), "acme", sum("tokens", "a"), T0).meter();

        final StoredMeter.Put same = StoredMeter.put(Optional.of(first), "acme", sum("tokens", "a"), T1);
        assertEquals(StoredMeter.Outcome.UNCHANGED, same.outcome());
        assertSame(first, same.meter());

        final StoredMeter.Put described = StoredMeter.put(Optional.of(first), "acme", sum("tokens", "b"), T1);
        assertEquals(StoredMeter.Outcome.UPDATED, described.outcome());
        assertEquals(1, described.meter().version(), "a description computes nothing new");
        assertEquals(T0, described.meter().versionAt());
        assertEquals(T1, described.meter().updatedAt());
    }

    @Test
    void anotherComputationShouldBeANewVersion() {
        final StoredMeter first = StoredMeter.put(Optional.empty(), "acme", sum("tokens", ""), T0).meter();

        final StoredMeter.Put changed = StoredMeter.put(Optional.of(first), "acme", sum("output_tokens", ""), T1);

        assertEquals(StoredMeter.Outcome.UPDATED, changed.outcome());
        assertEquals(2, changed.meter().version());
        assertEquals(T0, changed.meter().createdAt());
        assertEquals(T1, changed.meter().versionAt());
        assertEquals(sum("tokens", ""), changed.meter().definitionOf(1), "version 1 stays readable as it was");
        assertEquals(sum("output_tokens", ""), changed.meter().definitionOf(2));
    }

    @Test
    void aSlugDefinedAgainAfterADeleteShouldBeCreatedAsANewVersion() {
        final StoredMeter deleted = StoredMeter.put(Optional.empty(), "acme", sum("tokens", ""), T0).meter()
                .delete(T1);
        assertTrue(deleted.deleted());
        assertEquals(1, deleted.version(), "a delete keeps the version readable");

        final StoredMeter.Put again = StoredMeter.put(Optional.of(deleted), "acme", sum("tokens", ""), T2);

        assertEquals(StoredMeter.Outcome.CREATED, again.outcome());
        assertEquals(2, again.meter().version(), "the same computation, but not counted while deleted: a new one");
        assertFalse(again.meter().deleted());
        assertEquals(java.util.List.of(1), java.util.List.copyOf(again.meter().earlier().keySet()));
    }

    @Test
    void aPutOverAnotherMetersRecordShouldBeRefused() {
        final StoredMeter other = StoredMeter.put(Optional.empty(), "other", sum("tokens", ""), T0).meter();
        assertThrows(IllegalArgumentException.class,
                () -> StoredMeter.put(Optional.of(other), "acme", sum("tokens", ""), T1));
    }

    @Test
    void theTopicRecordShouldReadBackAsWritten() {
        final StoredMeter meter = StoredMeter.put(Optional.empty(), "acme", new MeterDefinition("users", "login",
                Aggregation.UNIQUE_COUNT, new PropertyPath("user id"), Map.of(), "distinct users"), T0).meter()
                .delete(T1);

        final StoredMeter read = StoredMeterJson.read(StoredMeterJson.bytes(meter), RULES);

        assertEquals(meter, read);
        final StoredMeter changed = StoredMeter.put(Optional.of(StoredMeter.put(Optional.empty(), "acme",
                sum("tokens", ""), T0).meter()), "acme", sum("output_tokens", ""), T1).meter();
        assertEquals(changed, StoredMeterJson.read(StoredMeterJson.bytes(changed), RULES),
                "with what its earlier versions computed");
        assertThrows(IllegalArgumentException.class,
                () -> StoredMeterJson.read("[]".getBytes(StandardCharsets.UTF_8), RULES));
        assertThrows(IllegalArgumentException.class, () -> StoredMeterJson.read(
                "{\"slug\":\"users\",\"eventType\":\"login\",\"aggregation\":\"COUNT\",\"tenant\":\"acme\"}"
                        .getBytes(StandardCharsets.UTF_8), RULES), "a record without its version is refused");
    }
}
