package dev.meterstream.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.UsageEventJson;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowAggregateBytes;
import dev.meterstream.event.WindowSize;
import io.helidon.metrics.api.Metrics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> aggregates;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        start(ProcessorSettings.defaults("topology-test", "unused:9092", stateDir));
    }

    private void start(final ProcessorSettings defaults) {
        final ProcessorSettings settings = defaults
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(100)).withCacheMaxBytes(10 * 1024 * 1024).withRawPartitions(1);
        final Properties config = settings.streamsConfig();
        driver = new TopologyTestDriver(UsageTopology.build(settings.topology(), new ProcessorMetrics(Metrics.globalRegistry())),
                config, T0);
        raw = driver.createInputTopic(Topics.RAW, new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS, new StringDeserializer(), new ByteArrayDeserializer());
        aggregates = driver.createOutputTopic(Topics.AGGREGATES, new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static UsageEvent event(final String id, final String subject, final double quantity, final Instant time) {
        return new UsageEvent("acme", id, subject, "api-calls", quantity, time, Map.of(), time);
    }

    private static UsageEvent event(final String id, final String subject, final BigDecimal quantity,
                                    final Instant time) {
        return new UsageEvent("acme", id, subject, "api-calls", quantity, time, Map.of(), time);
    }

    /** Sends an event as the edge would: keyed tenant/id, with the time it was received as record time. */
    private void send(final UsageEvent event, final Instant receivedAt) {
        raw.pipeInput(event.key(), UsageEventBytes.write(event), receivedAt);
    }

    private void send(final UsageEvent event) {
        send(event, event.receivedAt());
    }

    private List<SequencedEvent> eventLog() {
        return events.readValuesToList().stream().map(UsageEventBytes::readSequenced).toList();
    }

    /** The latest value of every aggregate key, as a compacted topic or an upsert would keep it. */
    private Map<String, WindowAggregate> latestAggregates() {
        final Map<String, WindowAggregate> latest = new LinkedHashMap<>();
        for (final TestRecord<String, byte[]> record : aggregates.readRecordsToList()) {
            latest.put(record.key(), WindowAggregateBytes.read(record.value()));
        }
        return latest;
    }

    private static WindowAggregate aggregate(final Map<String, WindowAggregate> all, final String subject,
                                             final WindowSize size, final String windowStart) {
        final WindowAggregate found = all.get("acme/api-calls/" + subject + "/" + size + "/" + windowStart);
        assertTrue(found != null, "no " + size + " aggregate for " + subject + " at " + windowStart + " in "
                + all.keySet());
        return found;
    }

    @Test
    void shouldTakeTheJsonRawRecordsTheEdgeWroteBeforeTheBinaryForm() {
        final UsageEvent old = event("old", "s1", new BigDecimal("0.1"), T0);
        final UsageEvent next = event("next", "s1", new BigDecimal("0.2"), T0.plusSeconds(1));
        raw.pipeInput(old.key(), UsageEventJson.write(old), T0);
        send(next);
        // The JSON copy of an event deduped against its binary copy: the same event, whatever its form.
        send(old, T0.plusSeconds(2));

        assertEquals(List.of(old, next), eventLog().stream().map(SequencedEvent::event).toList());
        assertTrue(deadLetters.isEmpty());
        assertEquals(new BigDecimal("0.3"), aggregate(latestAggregates(), "s1", WindowSize.DAY,
                "2026-11-23T00:00:00Z").sum());
    }

    @Test
    void shouldRemoveDuplicatesWithinTheDedupeWindowAndGiveDenseIds() {
        final UsageEvent a = event("a", "s1", 1, T0);
        final UsageEvent b = event("b", "s1", 2, T0.plusSeconds(1));
        send(a);
        send(a, T0.plusSeconds(5));
        send(b);
        send(a, T0.plus(Duration.ofHours(23)));
        send(b, T0.plusSeconds(2));

        final List<SequencedEvent> log = eventLog();
        assertEquals(List.of("a", "b"), log.stream().map(e -> e.event().id()).toList());
        assertEquals(List.of("0-0", "0-1"), log.stream().map(SequencedEvent::id).toList());
        assertEquals(a, log.getFirst().event());
        final WindowAggregate day = aggregate(latestAggregates(), "s1", WindowSize.DAY, "2026-11-23T00:00:00Z");
        assertEquals(2, day.count());
        assertEquals(new BigDecimal("3"), day.sum());
    }

    @Test
    void shouldDropACopyReSentAfterTheHotWindowThroughTheWholeLatenessHorizon() {
        final UsageEvent a = event("a", "s1", 1, T0);
        final UsageEvent b = event("b", "s1", 1, T0);
        send(a);
        send(b);
        // Past the hot window (24 h here): only the cold tier still knows a and b.
        send(a, T0.plus(Duration.ofHours(24)).plusMillis(1));
        send(a, T0.plus(Duration.ofDays(20)));
        send(b, T0.plus(Duration.ofDays(35)));
        // A copy with another payload is still a copy: the first one wins.
        send(new UsageEvent("acme", "a", "s2", "api-calls", 9, T0, Map.of(), T0), T0.plus(Duration.ofDays(34)));
        assertEquals(List.of("0-0 a", "0-1 b"), eventLog().stream().map(e -> e.id() + " " + e.event().id())
                .toList());
    }

    @Test
    void shouldCountACopyAgainOnlyOnceTheLatenessHorizonHasPassed() {
        final UsageEvent a = event("a", "s1", 1, T0);
        send(a);
        send(a, T0.plus(Duration.ofDays(35)).plusMillis(1));
        assertEquals(List.of("0-0", "0-1"), eventLog().stream().map(SequencedEvent::id).toList());
    }

    @Test
    void shouldPutEventsInTheirUtcMinuteHourAndDayAcrossBoundaries() {
        final Instant beforeMidnight = Instant.parse("2026-11-23T23:59:59.999Z");
        final Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
        send(event("1", "s", 1, beforeMidnight), midnight.plusSeconds(1));
        send(event("2", "s", 2, midnight), midnight.plusSeconds(1));
        send(event("3", "s", 4, midnight.plusSeconds(59)), midnight.plusSeconds(61));

        final Map<String, WindowAggregate> all = latestAggregates();
        assertEquals(1, aggregate(all, "s", WindowSize.MINUTE, "2026-11-23T23:59:00Z").count());
        assertEquals(1, aggregate(all, "s", WindowSize.HOUR, "2026-11-23T23:00:00Z").count());
        assertEquals(1, aggregate(all, "s", WindowSize.DAY, "2026-11-23T00:00:00Z").count());
        final WindowAggregate minute = aggregate(all, "s", WindowSize.MINUTE, "2026-11-24T00:00:00Z");
        assertEquals(2, minute.count());
        assertEquals(new BigDecimal("6"), minute.sum());
        assertEquals(2, aggregate(all, "s", WindowSize.DAY, "2026-11-24T00:00:00Z").count());
        assertEquals(12, all.size(), "one window of each size on each side of midnight, for the subject and for all "
                + "subjects of the shard: " + all.keySet());
        assertEquals(2, all.get("acme/api-calls/*0/DAY/2026-11-24T00:00:00Z").count());
    }

    @Test
    void shouldSumExactlyAndTrackMinAndMaxOfFractionalQuantities() {
        send(event("1", "s", 0.1, T0));
        send(event("2", "s", 0.2, T0.plusSeconds(1)));
        send(event("3", "s", 0.7, T0.plusSeconds(2)));
        send(event("4", "s", 0, T0.plusSeconds(3)));
        final WindowAggregate hour = aggregate(latestAggregates(), "s", WindowSize.HOUR, "2026-11-23T12:00:00Z");
        assertEquals(4, hour.count());
        assertEquals(0, new BigDecimal("1.0").compareTo(hour.sum()), "0.1 + 0.2 + 0.7 + 0 = 1.0 exactly, was "
                + hour.sum());
        assertEquals("0", hour.min().toPlainString());
        assertEquals("0.7", hour.max().toPlainString());
    }

    @Test
    void shouldKeepQuantitiesExactBeyondWhatADoubleHolds() {
        // 2^53 + 1: a double holds it as 2^53.
        send(event("big-1", "big", new BigDecimal("9007199254740993"), T0));
        send(event("big-2", "big", new BigDecimal("9007199254740993"), T0.plusSeconds(1)));
        // 30 significant digits, and steps of 1e-18.
        send(event("long", "long", new BigDecimal("123456789012.345678901234567890"), T0));
        send(event("tiny-1", "tiny", new BigDecimal("0.000000000000000001"), T0));
        send(event("tiny-2", "tiny", new BigDecimal("0.000000000000000002"), T0.plusSeconds(1)));
        send(event("point-1", "point", new BigDecimal("0.1"), T0));
        send(event("point-2", "point", new BigDecimal("0.2"), T0.plusSeconds(1)));
        final Map<String, WindowAggregate> all = latestAggregates();
        final WindowAggregate big = aggregate(all, "big", WindowSize.HOUR, "2026-11-23T12:00:00Z");
        assertEquals("18014398509481986", big.sum().toPlainString());
        assertEquals("9007199254740993", big.min().toPlainString());
        assertEquals("9007199254740993", big.max().toPlainString());
        assertEquals("123456789012.34567890123456789",
                aggregate(all, "long", WindowSize.DAY, "2026-11-23T00:00:00Z").sum().toPlainString());
        final WindowAggregate tiny = aggregate(all, "tiny", WindowSize.MINUTE, "2026-11-23T12:00:00Z");
        assertEquals("0.000000000000000003", tiny.sum().toPlainString());
        assertEquals("0.000000000000000001", tiny.min().toPlainString());
        assertEquals("0.3", aggregate(all, "point", WindowSize.HOUR, "2026-11-23T12:00:00Z").sum().toPlainString());
        assertEquals("9007199254740993", eventLog().stream().filter(e -> e.event().id().equals("big-1"))
                .findFirst().orElseThrow().event().quantity().toPlainString());
    }

    /**
     * The driver commits after every record, so each event after a series' first finds its totals already written:
     * held as objects by default, and with none held read back from the window stores. Both must fold the same.
     */
    @Test
    void shouldFoldASeriesIntoItsWrittenTotalsWhetherHeldOrReadBack() {
        driver.close();
        start(ProcessorSettings.defaults("topology-test", "unused:9092", stateDir.resolve("none-held"))
                .withSeriesWindowEntries(0));
        for (int i = 0; i < 5; i++) {
            send(event("e" + i, i % 2 == 0 ? "even" : "odd", i + 1, T0.plusSeconds(i)));
        }
        final Map<String, WindowAggregate> all = latestAggregates();
        for (final WindowSize size : WindowSize.values()) {
            final String start = size == WindowSize.DAY ? "2026-11-23T00:00:00Z" : "2026-11-23T12:00:00Z";
            final WindowAggregate even = aggregate(all, "even", size, start);
            assertEquals(3, even.count(), size.name());
            assertEquals(0, new BigDecimal("9").compareTo(even.sum()), size + ": 1 + 3 + 5, was " + even.sum());
            assertEquals("1", even.min().toPlainString());
            assertEquals(0, new BigDecimal("6").compareTo(aggregate(all, "odd", size, start).sum()), size.name());
        }
    }

    @Test
    void shouldCountLateAndOutOfOrderEventsInTheirOwnWindows() {
        final Instant now = T0.plus(Duration.ofDays(40));
        send(event("new", "s", 1, now), now);
        send(event("late", "s", 5, now.minus(Duration.ofDays(34))), now.plusSeconds(1));
        send(event("earlier", "s", 2, now.minusSeconds(3600)), now.plusSeconds(2));

        final Map<String, WindowAggregate> all = latestAggregates();
        final WindowAggregate lateDay = aggregate(all, "s", WindowSize.DAY, "2026-11-29T00:00:00Z");
        assertEquals(1, lateDay.count());
        assertEquals(0, new BigDecimal("5").compareTo(lateDay.sum()));
        assertEquals(1, aggregate(all, "s", WindowSize.MINUTE, "2026-11-29T12:00:00Z").count());
        assertEquals(1, aggregate(all, "s", WindowSize.HOUR, "2027-01-02T11:00:00Z").count());
        assertEquals(2, aggregate(all, "s", WindowSize.DAY, "2027-01-02T00:00:00Z").count());
    }

    /**
     * The driver commits after every input record, as a processor may at any moment: the shard totals of every
     * event a commit covers must be in that commit's output, or the views could be declared complete through an
     * event whose "all subjects" totals are not yet sent.
     */
    @Test
    void shouldSumAllSubjectsOfAMeterPerShardAndSendTheTotalsWithTheCommitOfTheirEvents() {
        send(event("a", "s1", 1.25, T0));
        send(event("b", "s2", 2, T0.plusSeconds(90)));
        send(event("a", "s1", 1.25, T0.plusSeconds(91)));
        send(new UsageEvent("acme", "c", "s3", "other-meter", 7, T0, Map.of(), T0));

        final Map<String, WindowAggregate> first = latestAggregates();
        final WindowAggregate hour = first.get("acme/api-calls/*0/HOUR/2026-11-23T12:00:00Z");
        assertEquals(2, hour.count(), "the copy is not counted");
        assertEquals(0, new BigDecimal("3.25").compareTo(hour.sum()));
        assertEquals("1.25", hour.min().toPlainString());
        assertEquals("2", hour.max().toPlainString());
        assertEquals(1, first.get("acme/api-calls/*0/MINUTE/2026-11-23T12:01:00Z").count());
        assertEquals(1, first.get("acme/other-meter/*0/DAY/2026-11-23T00:00:00Z").count());

        send(event("d", "s4", 0.5, T0.plusSeconds(5)));
        final Map<String, WindowAggregate> second = latestAggregates().entrySet().stream()
                .filter(e -> e.getKey().contains("/*")).collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(java.util.Set.of("acme/api-calls/*0/MINUTE/2026-11-23T12:00:00Z",
                "acme/api-calls/*0/HOUR/2026-11-23T12:00:00Z", "acme/api-calls/*0/DAY/2026-11-23T00:00:00Z"),
                second.keySet(), "only the totals that changed are sent again");
        assertEquals(3, second.get("acme/api-calls/*0/HOUR/2026-11-23T12:00:00Z").count());
    }

    @Test
    void shouldDeleteAShardRollupOnlyOnceItsWindowHasEndedAHorizonAndADayAgo() {
        send(event("a", "s1", 1, T0));
        // 36 days (the lateness horizon and a day) and two hours on: T0's minute and hour have ended that long ago,
        // its day (ending at midnight) has not.
        send(event("b", "s1", 1, T0.plus(Duration.ofDays(36)).plus(Duration.ofHours(2))));
        final KeyValueStore<Bytes, byte[]> rollups = driver.getKeyValueStore(StoreNames.ROLLUP);
        final Function<String, byte[]> stored = key -> rollups.get(Bytes.wrap(
                ("acme/api-calls/*0/" + key).getBytes(StandardCharsets.UTF_8)));
        assertNull(stored.apply("MINUTE/2026-11-23T12:00:00Z"));
        assertNull(stored.apply("HOUR/2026-11-23T12:00:00Z"));
        assertNotNull(stored.apply("DAY/2026-11-23T00:00:00Z"));
        assertNotNull(stored.apply("MINUTE/2026-12-29T14:00:00Z"));
    }

    @Test
    void shouldSendAnUnreadableRecordToTheDeadLetterTopicAndCarryOn() {
        raw.pipeInput("acme/x", "{not json".getBytes(StandardCharsets.UTF_8), T0);
        raw.pipeInput("acme/y", "{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8), T0);
        final UsageEvent wrongKey = event("z", "s", 1, T0);
        raw.pipeInput("acme/not-z", UsageEventBytes.write(wrongKey), T0);
        send(new UsageEvent("acme", "ahead", "s", "api-calls", 1, T0.plus(Duration.ofMinutes(6)), Map.of(), T0));
        send(new UsageEvent("acme", "ok", "s", "api-calls", 1, T0.plus(Duration.ofMinutes(5)), Map.of(), T0));

        final List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(4, dead.size());
        assertEquals("{not json", new String(dead.getFirst().value(), StandardCharsets.UTF_8));
        final String reason = new String(dead.getFirst().headers().lastHeader(Topics.DEAD_LETTER_REASON)
                .value(), StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("not valid JSON"), reason);
        assertEquals(Topics.RAW + "/0/0", new String(dead.getFirst().headers()
                .lastHeader(Topics.DEAD_LETTER_SOURCE).value(), StandardCharsets.UTF_8));
        assertTrue(new String(dead.get(1).headers().lastHeader(Topics.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8).startsWith("missing field(s)"));
        assertTrue(new String(dead.get(2).headers().lastHeader(Topics.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8).startsWith("record key 'acme/not-z' is not the event's key"));
        final String ahead = new String(dead.get(3).headers().lastHeader(Topics.DEAD_LETTER_REASON).value(),
                StandardCharsets.UTF_8);
        assertTrue(ahead.contains("timestamp must not be more than 5 minutes in the future"), ahead);
        assertEquals(List.of("0-0 ok"), eventLog().stream().map(e -> e.id() + " " + e.event().id()).toList());
    }
}
