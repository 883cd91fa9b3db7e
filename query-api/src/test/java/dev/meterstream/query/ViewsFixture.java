package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.event.EventRules;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.cassandra.CassandraEndpoint;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import dev.meterstream.processor.ProcessorServer;
import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.processor.sink.SinkSettings;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.SumRank;
import dev.meterstream.schema.Views;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import dev.meterstream.meter.MeterDefinitionJson;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Views written the real way for query-api's tests: events (with copies) sent to the raw topic, the processor with
 * its sink (in this JVM) writing them into a keyspace, waited on until the views are complete through the last
 * send; then query-api started on that keyspace with one analyst key per tenant, reading rankings two rows at a
 * time so that merging windows for the top subjects must page.
 */
final class ViewsFixture implements AutoCloseable {
    static final String KEYSPACE = "query_it";
    static final String ACME_KEY = "ms_test-acme-analyst-key";
    static final String GLOBEX_KEY = "ms_test-globex-analyst-key";
    static final String ACME_ADMIN_KEY = "ms_test-acme-admin-key";
    /** Tenant initech sends {@link #LLM_CALL} events with properties, for defined meters. */
    static final String INITECH_KEY = "ms_test-initech-analyst-key";
    static final String INITECH_ADMIN_KEY = "ms_test-initech-admin-key";
    static final String LLM_CALL = "llm-call";
    /** Defined before any event is sent (its boundaries recorded first), to compare late definitions with. */
    static final String TOKENS_FIRST = "tokens-first";
    static final String TOKENS_DEFINITION = "{\"eventType\": \"llm-call\", \"aggregation\": \"SUM\","
            + " \"valueProperty\": \"$.tokens\", \"groupBy\": {\"model\": \"$.model\"}}";
    /**
     * Most events one answer may read to fold a subject's minutes: small, so that a test can go past it (a subject
     * of initech has about 12 events an hour).
     */
    static final int MAX_FOLDED_EVENTS = 150;
    /** The ids of event rows stored as before V010 (no event), which readers skip. */
    static final String STORED_BEFORE_V010 = "stored-before-v010-";
    /** The id of an event counted twice in acme, the lateness horizon apart ({@link #COUNTED_TWICE_LATER}). */
    static final String COUNTED_TWICE = "counted-twice";
    /** The later copy's subject and log ID: the one a lookup by id answers. */
    static final String COUNTED_TWICE_LATER = "subject-later-copy";
    static final String COUNTED_TWICE_LATER_LOG_ID = "1-9";
    /** Midnight three days ago: the data fills whole hours and days from here. */
    static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));

    private final Map<String, UsageEvent> distinct = new LinkedHashMap<>();
    private final ProcessorServer processor;
    private final QueryServer query;
    private final String kafkaBootstrapServers;
    private final CqlConnection connection;

    ViewsFixture(final KafkaEndpoint kafka, final CassandraEndpoint cassandra, final Path stateDir) {
        this.kafkaBootstrapServers = kafka.bootstrapServers();
        final CqlConnection connection = new CqlConnection(List.of(cassandra.contactPoint()), cassandra.datacenter(),
                CqlSchema.Keyspace.local(KEYSPACE), DefaultConsistencyLevel.ONE, Duration.ofSeconds(10));
        final Config server = Config.just(ConfigSources.create(Map.of("host", "127.0.0.1", "port", "0")));
        processor = ProcessorServer.start(server, ProcessorSettings.defaults("query-it", kafka.bootstrapServers(), stateDir)
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(200)).withCacheMaxBytes(10 * 1024 * 1024).withRawPartitions(4),
                new SinkSettings(true, "query-it-sink", connection, Duration.ofMillis(200), 50_000, 64, 50, true, 3,
                        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), 1,
                        Duration.ofMillis(100), Duration.ofSeconds(45)), () -> { });
        defineFirst(kafka);
        final Instant lastSend = send(kafka);
        try (CqlSession session = cassandra.openSession()) {
            Await.until("the views to be complete through the last send", Duration.ofSeconds(180), () -> {
                final Row row = session.getMetadata().getKeyspace(KEYSPACE).flatMap(k -> k.getTable(Views.VIEW_PROGRESS.name()))
                        .isEmpty() ? null : session.execute(Views.completeThroughQuery(KEYSPACE)).one();
                return row != null && row.getInstant(0).isAfter(lastSend);
            });
            // Rows the sink may leave behind in top_subjects_by_rank after losing its memory of them (an older, lower
            // sum of a subject in a window): readers must count a subject once per window, at its highest row. Were
            // x counted at these too, the ranking trap's top subject would sum 42.75, not 28.5.
            final var leftBehind = session.prepare(Views.TOP_SUBJECTS.insert(KEYSPACE, Views.TOP_SUBJECTS.columns()));
            for (int day = 0; day < 3; day++) {
                session.execute(leftBehind.bind("acme", "rank-test", "DAY", BASE.plus(Duration.ofDays(day)),
                        SumRank.of(new java.math.BigDecimal("4.75")), "x", 1L));
            }
            // Event rows as V010 leaves those stored before it until the views are rebuilt: keys, no event. Readers
            // skip them, and a page that meets one still reads the rows after it.
            final var storedBefore = session.prepare(Views.EVENTS_BY_SUBJECT_DAY.insert(KEYSPACE,
                    Views.EVENTS_BY_SUBJECT_DAY.primaryKey()));
            for (int hour = 20; hour < 60; hour += 4) {
                final Instant time = BASE.plus(Duration.ofHours(hour)).plusMillis(1);
                session.execute(storedBefore.bind("acme", "subject-3", SeriesBucket.day(time), time,
                        STORED_BEFORE_V010 + hour));
            }
            // An id counted again after the lateness horizon: a row per copy, in two subjects' partitions, the later
            // copy with the higher sequence; and globex's event of the same id, later still in the log.
            final var eventRow = session.prepare(Views.EVENTS_BY_SUBJECT_DAY.insert(KEYSPACE,
                    Views.EVENTS_BY_SUBJECT_DAY.columns()));
            final Instant firstCopy = BASE.minus(Duration.ofDays(40));
            for (final SequencedEvent copy : List.of(
                    copy("acme", "subject-first-copy", firstCopy, 5),
                    copy("acme", "subject-later-copy", BASE, 9),
                    copy("globex", "subject-later-copy", BASE, 50))) {
                final UsageEvent event = copy.event();
                session.execute(eventRow.bind(event.tenant(), event.subject(), SeriesBucket.day(event.timestamp()),
                        event.timestamp(), event.id(), java.nio.ByteBuffer.wrap(UsageEventBytes.write(copy))));
            }
        }
        this.connection = connection;
        query = startQuery(new QueryLimits(Duration.ofSeconds(30), 10_000, 0));
    }

    private static SequencedEvent copy(final String tenant, final String subject, final Instant time,
                                       final long sequence) {
        return new SequencedEvent(new UsageEvent(tenant, COUNTED_TWICE, subject, "api-calls", 1, time, Map.of(),
                time), 1, sequence);
    }

    /**
     * A query-api on these views with {@code limits}; the fixture's own has generous ones. The caller closes it. Its
     * cursors are signed with a key of its own.
     */
    QueryServer startQuery(final QueryLimits limits) {
        return QueryServer.start(dev.meterstream.support.config.ServiceConfig.defaults(QuerySettings.DEFAULTS,
                        Map.of("server.port", "0")).get("server"),
                new QuerySettings(connection, ApiKeys.of(Map.of(
                        ApiKeys.sha256(ACME_KEY), "acme", ApiKeys.sha256(GLOBEX_KEY), "globex",
                        ApiKeys.sha256(INITECH_KEY), "initech")), 1000, 1000,
                        Duration.ofDays(36), Duration.ofMillis(100), 2, Duration.ofSeconds(2), 100,
                        dev.meterstream.support.kafka.KafkaConnection.plain(kafkaBootstrapServers),
                        ApiKeys.of(Map.of(ApiKeys.sha256(ACME_ADMIN_KEY), "acme", ApiKeys.sha256(INITECH_ADMIN_KEY),
                                "initech")),
                        EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5)), MAX_FOLDED_EVENTS, limits,
                        CursorSigner.from(java.util.Optional.empty())));
    }

    /**
     * Writes meter {@link #TOKENS_FIRST} to the definitions topic (as query-api would) and waits until the processor
     * has recorded where each shard began counting it, so that it counts every event sent after.
     */
    private static void defineFirst(final KafkaEndpoint kafka) {
        final StoredMeter first = StoredMeter.put(java.util.Optional.empty(), "initech", MeterDefinitionJson.parse(
                TOKENS_FIRST, TOKENS_DEFINITION.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                EventRules.of(Duration.ofDays(35), Duration.ofMinutes(5))).definition(), BASE).meter();
        try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.METER_DEFINITIONS, first.key(), StoredMeterJson.bytes(first)));
        }
        final Map<Integer, Long> boundaries = new java.util.HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(Topics.METER_BOUNDARIES, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Await.until("the processor to start counting " + TOKENS_FIRST + " on all 4 shards", Duration.ofSeconds(60),
                    () -> {
                        for (final var record : consumer.poll(Duration.ofMillis(200))) {
                            if (MeterRecordKey.read(record.key()) instanceof MeterRecordKey.Boundary boundary
                                    && boundary.meter().slug().equals(TOKENS_FIRST)) {
                                boundaries.put(boundary.shard(), MeterRecordJson.boundary(record.value()).sequence());
                            }
                        }
                        return boundaries.size() == 4;
                    });
        }
    }

    /** Sends {@code count} events of {@link #LLM_CALL} for initech, one in twenty twice; returns when acknowledged. */
    Instant sendLlmCalls(final int count, final long seed) {
        final Random random = new Random(seed);
        final List<UsageEvent> known = new ArrayList<>();
        final String[] models = {"gpt", "claude", "模型 é"};
        try (KafkaProducer<String, byte[]> producer = producer(kafkaBootstrapServers)) {
            for (int i = 0; i < count; i++) {
                final UsageEvent event;
                if (!known.isEmpty() && random.nextInt(20) == 0) {
                    event = known.get(random.nextInt(known.size()));
                } else {
                    final Map<String, String> properties = new java.util.HashMap<>();
                    properties.put("tokens", random.nextInt(10) == 0 ? random.nextInt(1000) + ".25"
                            : Integer.toString(random.nextInt(5000)));
                    final int model = random.nextInt(models.length + 1);
                    if (model < models.length) {
                        properties.put("model", models[model]);
                    }
                    properties.put("user", "u-" + random.nextInt(200));
                    event = new UsageEvent("initech", "llm-" + seed + "-" + i, "subject-" + random.nextInt(12),
                            LLM_CALL, 1, BASE.plusNanos(random.nextLong(Duration.ofDays(3).toNanos())), properties,
                            Instant.now());
                    distinct.put(event.key(), event);
                    known.add(event);
                }
                producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
            }
            producer.flush();
        }
        return Instant.now();
    }

    /** A producer that waits for every replica, as the edge's does. */
    private static KafkaProducer<String, byte[]> producer(final String bootstrapServers) {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Three days of events for two tenants, one in ten sent twice; returns when the last was acknowledged. */
    private Instant send(final KafkaEndpoint kafka) {
        final Random random = new Random(11);
        final List<UsageEvent> known = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            for (int i = 0; i < 4_000; i++) {
                final UsageEvent event;
                if (!known.isEmpty() && random.nextInt(10) == 0) {
                    event = known.get(random.nextInt(known.size()));
                } else {
                    final String tenant = random.nextInt(4) == 0 ? "globex" : "acme";
                    event = new UsageEvent(tenant, "e-" + distinct.size(), "subject-" + random.nextInt(12),
                            tenant.equals("acme") ? "meter-" + random.nextInt(2) : "globex-meter",
                            random.nextInt(100_000) / 1000.0,
                            BASE.plusNanos(random.nextLong(Duration.ofDays(3).toNanos())),
                            random.nextInt(3) == 0 ? Map.of("region", "eu") : Map.of(), Instant.now());
                    distinct.put(event.key(), event);
                    known.add(event);
                }
                producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
            }
            for (final UsageEvent event : rankingTrap()) {
                distinct.put(event.key(), event);
                producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)));
            }
            producer.flush();
        }
        sendLlmCalls(10_000, 1);
        return Instant.now();
    }

    /**
     * Meter {@code rank-test}: subject x is third in every day's ranking, never in the first two, yet has the highest
     * total over the three days (28.5 against 19.6), so a top-1 that reads two rows per day must read on to find it.
     */
    private static List<UsageEvent> rankingTrap() {
        final String[][] days = {{"a", "10", "b", "9.6"}, {"b", "10", "c", "9.6"}, {"c", "10", "a", "9.6"}};
        final List<UsageEvent> events = new ArrayList<>();
        for (int day = 0; day < days.length; day++) {
            final Instant time = BASE.plus(Duration.ofDays(day)).plus(Duration.ofHours(1));
            events.add(rank(day, days[day][0], Double.parseDouble(days[day][1]), time));
            events.add(rank(day, days[day][2], Double.parseDouble(days[day][3]), time));
            events.add(rank(day, "x", 9.5, time));
        }
        return events;
    }

    private static UsageEvent rank(final int day, final String subject, final double quantity, final Instant time) {
        return new UsageEvent("acme", "rank-" + day + "-" + subject, subject, "rank-test", quantity, time, Map.of(),
                Instant.now());
    }

    List<UsageEvent> events(final String tenant) {
        return distinct.values().stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + query.port();
    }

    String processorUrl() {
        return "http://127.0.0.1:" + processor.port();
    }

    String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    @Override
    public void close() {
        query.close();
        processor.close();
    }
}
