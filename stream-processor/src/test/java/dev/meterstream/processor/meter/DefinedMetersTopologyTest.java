package dev.meterstream.processor.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterCoverage;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.MeterProgress;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterStateBytes;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.meter.PropertyPath;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.processor.topology.ProcessorMetrics;
import dev.meterstream.processor.topology.BackfillTopology;
import dev.meterstream.processor.topology.UsageTopology;
import io.helidon.metrics.api.Metrics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defined meters in the topology: live counting with boundaries, and the backfill below them. The central check
 * is the issue's: a meter defined after events arrived, live plus backfill, equals window by window the same meter
 * defined before them, for every aggregation, with duplicates, late and out-of-order events, missing and bad
 * values, and dimension values in unicode or empty.
 */
class DefinedMetersTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-30T23:58:00Z");
    private static final String TYPE = "llm-tokens";

    @TempDir
    Path stateDir;

    private ProcessorSettings settings;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> definitions;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<byte[], byte[]> liveStates;
    private TestOutputTopic<byte[], byte[]> meterBoundaries;

    @BeforeEach
    void start() {
        start(ProcessorSettings.defaults("meters-test", "unused:9092", stateDir.resolve("main"))
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(100)).withCacheMaxBytes(10 * 1024 * 1024).withRawPartitions(1));
    }

    private void start(final ProcessorSettings settings) {
        this.settings = settings;
        driver = new TopologyTestDriver(UsageTopology.build(settings.topology(), metrics()), settings.streamsConfig(),
                T0);
        raw = driver.createInputTopic(Topics.RAW, new StringSerializer(), new ByteArraySerializer());
        definitions = driver.createInputTopic(Topics.METER_DEFINITIONS, new StringSerializer(),
                new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS, new StringDeserializer(), new ByteArrayDeserializer());
        // The live states' output is their store's changelog.
        liveStates = driver.createOutputTopic(Topics.liveMeterStates("meters-test"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        meterBoundaries = driver.createOutputTopic(Topics.METER_BOUNDARIES, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static ProcessorMetrics metrics() {
        return new ProcessorMetrics(Metrics.globalRegistry());
    }

    private static StoredMeter meter(final String slug, final Aggregation aggregation) {
        final Map<String, PropertyPath> groupBy = new LinkedHashMap<>();
        groupBy.put("model", PropertyPath.parse("$.model"));
        groupBy.put("region", PropertyPath.parse("$['region name']"));
        final MeterDefinition definition = new MeterDefinition(slug, TYPE, aggregation,
                aggregation == Aggregation.COUNT ? null : PropertyPath.parse(
                        aggregation == Aggregation.UNIQUE_COUNT ? "$.user" : "$.tokens"), groupBy, "");
        return new StoredMeter("acme", definition, 1, T0, T0, T0, false);
    }

    private static String slug(final String prefix, final Aggregation aggregation) {
        return prefix + "-" + aggregation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private void define(final StoredMeter meter) {
        definitions.pipeInput(meter.key(), StoredMeterJson.bytes(meter));
        // The processor reads the definitions again on a wall-clock punctuation.
        driver.advanceWallClockTime(LiveMeterProcessor.REFRESH);
    }

    /** A random event of the meter's type (or, one in ten, of another type) within a few minutes of T0. */
    private static UsageEvent event(final Random random, final int index) {
        final Map<String, String> properties = new HashMap<>();
        final String[] models = {"gpt", "claude", "", "模型-😀"};
        final int model = random.nextInt(models.length + 1);
        if (model < models.length) {
            properties.put("model", models[model]);
        }
        if (random.nextBoolean()) {
            properties.put("region name", random.nextBoolean() ? "eu/west" : "us \"east\"");
        }
        final int value = random.nextInt(20);
        if (value == 0) {
            properties.put("tokens", "many");
        } else if (value > 1) {
            properties.put("tokens", value % 5 == 0 ? "-" + value + ".25" : Integer.toString(value * 1000));
        }
        properties.put("user", "user-" + random.nextInt(30));
        // Late and out of order: times spread over 5 minutes around midnight, in random order.
        final Instant time = T0.plusMillis(random.nextInt(300_000));
        final String type = random.nextInt(10) == 0 ? "other" : TYPE;
        return new UsageEvent("acme", "e" + index, "subject-" + random.nextInt(4), type, BigDecimal.ONE, time,
                properties, T0.plusSeconds(index));
    }

    private void send(final UsageEvent event) {
        raw.pipeInput(event.key(), UsageEventBytes.write(event), event.receivedAt());
    }

    @Test
    void aMeterDefinedLateShouldEqualTheSameMeterDefinedFirstWindowByWindow() {
        compareLateWithFirst();
    }

    /**
     * With room for only a few states as objects, most folds read their state back from the store and most
     * changes are written when dropped, not at the commit: the answers must not change.
     */
    @Test
    void theSameShouldHoldWhenFewStatesAreHeld() {
        driver.close();
        start(settings.withMeterStateEntries(7));
        compareLateWithFirst();
    }

    private void compareLateWithFirst() {
        final List<Aggregation> aggregations = List.of(Aggregation.values());
        for (final Aggregation aggregation : aggregations) {
            define(meter(slug("first", aggregation), aggregation));
        }
        final Random random = new Random(17);
        final List<UsageEvent> sent = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            final UsageEvent event = event(random, i);
            send(event);
            sent.add(event);
            if (random.nextInt(20) == 0) {
                // A re-send of an earlier event: the log holds it once, so no meter counts it twice.
                send(sent.get(random.nextInt(sent.size())));
            }
            if (i == 600) {
                for (final Aggregation aggregation : aggregations) {
                    define(meter(slug("late", aggregation), aggregation));
                }
            }
        }

        final List<TestRecord<byte[], byte[]>> live = liveStates.readRecordsToList();
        assertTrue(live.stream().noneMatch(record -> MeterRecordKey.read(record.key()) instanceof MeterRecordKey.State),
                "live states are kept per event type and window, not per meter");
        final long mostMeters = live.stream().filter(record -> record.value() != null
                        && MeterRecordKey.read(record.key()) instanceof MeterRecordKey.TypeStates)
                .mapToLong(record -> MeterTypeStates.read(record.value()).states().keySet().stream()
                        .map(MeterTypeStates.Entry::slug).distinct().count())
                .max().orElse(0);
        assertEquals(2L * (aggregations.size() - 1), mostMeters,
                "one entry holds every meter of the type that keeps states (all but UNIQUE_COUNT, first and late)");
        final Map<Integer, Long> boundaries = boundariesOf("late-sum");
        assertEquals(Map.of(0, 601L), boundaries, "the late meters start counting at the event after the 601st");
        assertEquals(boundariesOf("late-sum"), boundariesOf("late-unique-count"));
        assertEquals(Map.of(0, 0L), boundariesOf("first-sum"), "defined before any event: nothing to backfill");

        final List<TestRecord<byte[], byte[]>> backfilled = new ArrayList<>();
        for (final Aggregation aggregation : aggregations) {
            backfilled.addAll(backfill(meter(slug("late", aggregation), aggregation), boundaries));
        }
        final List<TestRecord<byte[], byte[]>> all = new ArrayList<>(live);
        all.addAll(backfilled);

        for (final Aggregation aggregation : aggregations) {
            final Map<String, Object> first = answers(all, slug("first", aggregation), aggregation);
            final Map<String, Object> late = answers(all, slug("late", aggregation), aggregation);
            assertTrue(first.size() > 50, aggregation + ": " + first.size() + " windows and groups");
            assertEquals(first, late, aggregation + ", window by window");
            assertFalse(answers(live, slug("late", aggregation), aggregation).equals(first),
                    aggregation + ": live counting alone is not the whole answer (the backfill matters)");
            assertTrue(first.keySet().stream().noneMatch(key -> !key.startsWith("*|") && key.contains("|MINUTE|")),
                    aggregation + ": a subject's minutes are not stored");
            for (final String prefix : List.of("first", "late")) {
                final String slug = slug(prefix, aggregation);
                final Map<String, Object> stored = subjectHours(answers(all, slug, aggregation));
                assertTrue(stored.size() > 5, aggregation + ": " + stored.size() + " subject hours");
                assertEquals(stored, subjectHoursFromEvents(meter(slug, aggregation), coverageOf(slug, backfilled)),
                        slug + ": a subject's minutes folded from the events make up its stored hours");
            }
        }
    }

    @Test
    void theBackfillShouldReportItsProgressAndFoldNothingTwice() {
        final Random random = new Random(5);
        for (int i = 0; i < 100; i++) {
            send(event(random, i));
        }
        define(meter("count", Aggregation.COUNT));
        final Map<Integer, Long> boundaries = boundariesOf("count");
        assertEquals(Map.of(0, 100L), boundaries);

        final List<TestRecord<byte[], byte[]>> output = backfill(meter("count", Aggregation.COUNT), boundaries);
        final MeterProgress progress = lastProgress(output);
        assertEquals(new MeterProgress(100, 100), progress);
        assertTrue(progress.done());
        final long counted = answers(output, "count", Aggregation.COUNT).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("*|MINUTE"))
                .mapToLong(entry -> ((BigDecimal) entry.getValue()).longValueExact()).sum();
        final long ofType = logRecords.stream().map(record -> UsageEventBytes.readSequenced(record.value()))
                .filter(event -> event.event().meter().equals(TYPE)).count();
        assertEquals(ofType, counted, "every event of the type below the boundary, once");
    }

    @Test
    void aVersionDeletedShouldStopCountingAndNeverStartAgain() {
        final StoredMeter meter = meter("calls", Aggregation.COUNT);
        define(meter);
        final Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            send(event(random, i));
        }
        define(meter.delete(T0.plusSeconds(60)));
        for (int i = 10; i < 20; i++) {
            send(event(random, i));
        }
        final List<TestRecord<byte[], byte[]>> states = liveStates.readRecordsToList();
        final long counted = answers(states, "calls", Aggregation.COUNT).entrySet()
                .stream().filter(entry -> entry.getKey().startsWith("*|DAY"))
                .mapToLong(entry -> ((BigDecimal) entry.getValue()).longValueExact()).sum();
        logRecords.addAll(events.readRecordsToList());
        final long ofTypeBefore = logRecords.stream().map(record -> UsageEventBytes.readSequenced(record.value()))
                .filter(event -> event.sequence() < 10 && event.event().meter().equals(TYPE)).count();
        assertEquals(ofTypeBefore, counted);

        assertEquals(Map.of(0, 10L), endsOf("calls"), "the shard ended the version where it stopped counting");
        final Map<String, Object> stored = subjectHours(answers(states, "calls", Aggregation.COUNT));
        assertEquals(stored, subjectHoursFromEvents(meter, coverageOf("calls", List.of())),
                "a subject's minutes folded from the events stop where the version stopped counting");
        assertFalse(stored.equals(subjectHoursFromEvents(meter, Map.of(0, new MeterCoverage(0L, null, null)))),
                "without its end, the events after the delete would be folded too");
    }

    /** The boundaries sent for a slug, by shard. */
    private Map<Integer, Long> boundariesOf(final String slug) {
        final Map<Integer, Long> found = new TreeMap<>();
        for (final TestRecord<byte[], byte[]> record : allBoundaries()) {
            if (MeterRecordKey.read(record.key()) instanceof MeterRecordKey.Boundary key
                    && key.meter().slug().equals(slug)) {
                found.put(key.shard(), MeterRecordJson.boundary(record.value()).sequence());
            }
        }
        return found;
    }

    /** The ends sent for a slug, by shard. */
    private Map<Integer, Long> endsOf(final String slug) {
        final Map<Integer, Long> found = new TreeMap<>();
        for (final TestRecord<byte[], byte[]> record : allBoundaries()) {
            if (MeterRecordKey.read(record.key()) instanceof MeterRecordKey.End key
                    && key.meter().slug().equals(slug)) {
                found.put(key.shard(), MeterRecordJson.boundary(record.value()).sequence());
            }
        }
        return found;
    }

    /** What a reader knows of the slug's shards, as meter_backfill holds it: boundaries, backfill progress, ends. */
    private Map<Integer, MeterCoverage> coverageOf(final String slug,
                                                   final List<TestRecord<byte[], byte[]>> backfilled) {
        final Map<Integer, Long> through = new TreeMap<>();
        for (final TestRecord<byte[], byte[]> record : backfilled) {
            if (MeterRecordKey.read(record.key()) instanceof MeterRecordKey.Progress key
                    && key.meter().slug().equals(slug)) {
                through.put(key.shard(), MeterRecordJson.progress(record.value()).through());
            }
        }
        final Map<Integer, Long> ends = endsOf(slug);
        final Map<Integer, MeterCoverage> coverage = new TreeMap<>();
        boundariesOf(slug).forEach((shard, boundary) ->
                coverage.put(shard, new MeterCoverage(boundary, through.get(shard), ends.get(shard))));
        return coverage;
    }

    /**
     * A subject's windows as a reader folds them from the log ({@link MeterWindowKey#readFromEvents}: each event the
     * coverage holds, into its minute), merged into hours and keyed as {@link #answers} keys them, so that they can
     * be held against the stored hours.
     */
    private Map<String, Object> subjectHoursFromEvents(final StoredMeter meter,
                                                       final Map<Integer, MeterCoverage> coverage) {
        logRecords.addAll(events.readRecordsToList());
        final Aggregation aggregation = meter.definition().aggregation();
        final Map<String, MeterState> hours = new TreeMap<>();
        for (final TestRecord<String, byte[]> record : logRecords) {
            final SequencedEvent event = UsageEventBytes.readSequenced(record.value());
            MeterCoverage.input(meter.definition(), coverage, event).ifPresent(input -> {
                final MeterWindowKey minute = new MeterWindowKey(meter.tenant(), meter.definition().slug(),
                        meter.version(), event.event().subject(), input.groups(), WindowSize.MINUTE,
                        WindowSize.MINUTE.start(input.time()));
                assertTrue(MeterWindowKey.readFromEvents(minute.size(), minute.subject()));
                final MeterWindowKey hour = new MeterWindowKey(minute.tenant(), minute.slug(), minute.version(),
                        minute.subject(), minute.groups(), WindowSize.HOUR, WindowSize.HOUR.start(input.time()));
                hours.merge(describe(hour), MeterState.empty().add(aggregation, input),
                        (a, b) -> a.merge(aggregation, b));
            });
        }
        final Map<String, Object> values = new TreeMap<>();
        hours.forEach((key, state) -> values.put(key, state.value(aggregation)));
        return values;
    }

    /** The stored states of one subject's hours, of {@link #answers}. */
    private static Map<String, Object> subjectHours(final Map<String, Object> answers) {
        final Map<String, Object> hours = new TreeMap<>(answers);
        hours.keySet().removeIf(key -> key.startsWith("*|") || !key.contains("|HOUR|"));
        return hours;
    }

    private final List<TestRecord<byte[], byte[]>> boundaryRecords = new ArrayList<>();

    private List<TestRecord<byte[], byte[]>> allBoundaries() {
        boundaryRecords.addAll(meterBoundaries.readRecordsToList());
        return boundaryRecords;
    }

    private final List<TestRecord<String, byte[]>> logRecords = new ArrayList<>();

    /** Runs the backfill of {@code meter} over the canonical log written so far, to its end. */
    private List<TestRecord<byte[], byte[]>> backfill(final StoredMeter meter, final Map<Integer, Long> boundaries) {
        logRecords.addAll(events.readRecordsToList());
        final ProcessorSettings backfillSettings = ProcessorSettings.defaults("backfill-test", "unused:9092",
                        stateDir.resolve("backfill-" + meter.definition().slug()))
                .withMeterStateEntries(settings.meterStateEntries()).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(100)).withCacheMaxBytes(1024 * 1024);
        final BackfillWatch watch = new BackfillWatch();
        try (TopologyTestDriver backfill = new TopologyTestDriver(BackfillTopology.build(
                List.of(new Backfill(meter, boundaries)), metrics(), watch, backfillSettings.meterStateEntries()),
                backfillSettings.streamsConfig(), T0)) {
            final TestInputTopic<String, byte[]> log = backfill.createInputTopic(Topics.EVENTS,
                    new StringSerializer(), new ByteArraySerializer());
            logRecords.forEach(record -> log.pipeInput(record.key(), record.value(), record.timestamp()));
            assertTrue(watch.done(0), "the backfill reached the boundary");
            return backfill.createOutputTopic(Topics.METER_AGGREGATES, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList();
        }
    }

    private static MeterProgress lastProgress(final List<TestRecord<byte[], byte[]>> records) {
        MeterProgress last = null;
        for (final TestRecord<byte[], byte[]> record : records) {
            if (MeterRecordKey.read(record.key()) instanceof MeterRecordKey.Progress) {
                last = MeterRecordJson.progress(record.value());
            }
        }
        return last;
    }

    /**
     * What a reader answers for one meter: per subject (or '*'), window and group, the value of the states of every
     * shard and source merged (the newest record of each key, as compaction keeps); a unique count's values.
     */
    private static Map<String, Object> answers(final List<TestRecord<byte[], byte[]>> records, final String slug,
                                               final Aggregation aggregation) {
        final Map<Bytes, byte[]> latest = new LinkedHashMap<>();
        // A null value is a store forgetting an expired window: the views keep it, as the sink does.
        records.stream().filter(record -> record.value() != null)
                .forEach(record -> latest.put(Bytes.wrap(record.key()), record.value()));
        final Map<String, MeterState> states = new TreeMap<>();
        final Map<String, Set<String>> distinct = new TreeMap<>();
        final Set<MeterSource> sources = new TreeSet<>();
        latest.forEach((bytes, value) -> {
            switch (MeterRecordKey.read(bytes.get())) {
                case MeterRecordKey.State state when state.window().slug().equals(slug) -> {
                    sources.add(state.source());
                    states.merge(describe(state.window()), MeterStateBytes.read(value),
                            (a, b) -> a.merge(aggregation, b));
                }
                case MeterRecordKey.TypeStates type -> MeterTypeStates.read(value).byMeter(type).forEach((state, folded) -> {
                    if (state.window().slug().equals(slug)) {
                        sources.add(state.source());
                        states.merge(describe(state.window()), folded, (a, b) -> a.merge(aggregation, b));
                    }
                });
                case MeterRecordKey.Distinct value1 when value1.window().slug().equals(slug) ->
                        distinct.computeIfAbsent(describe(value1.window()), key -> new TreeSet<>()).add(value1.value());
                default -> {
                }
            }
        });
        final Map<String, Object> answers = new TreeMap<>();
        states.forEach((key, state) -> answers.put(key, state.value(aggregation)));
        distinct.forEach((key, values) -> answers.put(key, BigDecimal.valueOf(values.size())));
        return answers;
    }

    private static String describe(final MeterWindowKey window) {
        return (window.subject() == null ? "*" : window.subject()) + "|" + window.size() + "|" + window.windowStart()
                + "|" + window.groups();
    }
}
