package dev.meterstream.query;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.Topics;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tenants' meter definitions as the definitions topic holds them: read from its start into memory by a thread
 * of its own (read_committed), and written there. A change is answered only once this instance has read its own
 * record back, so a GET after a PUT sees it, and the map is never ahead of the topic.
 *
 * <p>Every change is decided on the whole topic, whichever instance makes it: each write starts a producer with
 * the one {@link Topics#METER_DEFINITIONS_WRITER} all instances share, which fences every earlier writer (another instance's
 * open transaction is aborted); it then reads the topic to its end, decides (a new version is the stored one plus
 * one), and commits. A writer fenced in between decides again. So two instances changing one meter at once never
 * both make "version 2".
 */
final class MeterDefinitions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeterDefinitions.class.getName());
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.METER_DEFINITIONS, 0);
    /** Times one change is decided again after another instance fenced it. */
    private static final int MAX_ATTEMPTS = 5;

    private final EventRules rules;
    private final Clock clock;
    private final KafkaConnection kafka;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, StoredMeter> meters = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    /** The offset of the next record the reader will apply; guarded by {@link #progress}. */
    private long readThrough;
    private volatile boolean running = true;
    private volatile int shards;
    private final Thread reader;

    private MeterDefinitions(final KafkaConnection kafka, final EventRules rules, final Clock clock) {
        this.rules = rules;
        this.clock = clock;
        this.kafka = kafka;
        this.admin = Admin.create(kafka.config(Map.of(AdminClientConfig.CLIENT_ID_CONFIG,
                "query-api-meter-definitions-admin")));
        this.consumer = new KafkaConsumer<>(kafka.config(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "query-api-meter-definitions")),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::read, "meter-definitions");
        this.reader.setDaemon(true);
    }

    /** Creates the topic if missing, reads it to its end, and keeps reading it. */
    static MeterDefinitions start(final KafkaConnection kafka, final EventRules rules) {
        final MeterDefinitions definitions = new MeterDefinitions(kafka, rules, Clock.systemUTC());
        try {
            TopicSetup.ensure(definitions.admin, TopicSpec.meterDefinitions());
            definitions.consumer.assign(List.of(PARTITION));
            definitions.consumer.seekToBeginning(List.of(PARTITION));
            final long end = definitions.consumer.endOffsets(List.of(PARTITION), START_TIMEOUT).get(PARTITION);
            definitions.reader.start();
            definitions.awaitRead(end, START_TIMEOUT);
            return definitions;
        } catch (final RuntimeException e) {
            definitions.close();
            throw e;
        }
    }

    Optional<StoredMeter> get(final String tenant, final String slug) {
        return Optional.ofNullable(meters.get(StoredMeter.key(tenant, slug)));
    }

    /**
     * The shards every meter version is counted over: the canonical log's partitions (0 while the processor has
     * not made it yet). Read once, then remembered: the log's partitions never change.
     */
    int shards() {
        if (shards == 0) {
            try {
                shards = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(Topics.EVENTS).partitions().size();
            } catch (final ExecutionException | TimeoutException e) {
                return 0;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return shards;
    }

    /** The tenant's meters, deleted ones included, by slug. */
    List<StoredMeter> all(final String tenant) {
        return meters.values().stream().filter(meter -> meter.tenant().equals(tenant))
                .sorted(Comparator.comparing(meter -> meter.definition().slug())).toList();
    }

    /** Puts a definition; returns once its record is written and read back (nothing is written if unchanged). */
    synchronized StoredMeter.Put put(final String tenant, final MeterDefinition definition) {
        return change(() -> StoredMeter.put(get(tenant, definition.slug()), tenant, definition, clock.instant()),
                put -> put.outcome() == StoredMeter.Outcome.UNCHANGED ? null : put.meter());
    }

    /** Deletes a meter that is not deleted yet; returns its record as deleted, or empty if there was none. */
    synchronized Optional<StoredMeter> delete(final String tenant, final String slug) {
        return change(() -> get(tenant, slug).filter(meter -> !meter.deleted())
                        .map(meter -> meter.delete(clock.instant())),
                deleted -> deleted.orElse(null));
    }

    /**
     * Decides a change on the whole topic as one writer of it (see the class comment), writes its record if there
     * is one, and returns once it is read back.
     *
     * @param decide what to do, from the definitions as read (called again if another writer came in between)
     * @param record the record a decision writes; null: nothing to write
     */
    private <T> T change(final Supplier<T> decide, final Function<T, StoredMeter> record) {
        for (int attempt = 1; ; attempt++) {
            try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
                producer.initTransactions(); // fences every earlier writer, in this instance or another
                awaitRead(committedEnd(), WRITE_TIMEOUT);
                final T decided = decide.get();
                final StoredMeter meter = record.apply(decided);
                if (meter == null) {
                    return decided;
                }
                producer.beginTransaction();
                final RecordMetadata written = producer.send(new ProducerRecord<>(Topics.METER_DEFINITIONS, 0,
                        meter.key(), StoredMeterJson.bytes(meter))).get(WRITE_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
                producer.commitTransaction();
                awaitRead(written.offset() + 1, WRITE_TIMEOUT);
                return decided;
            } catch (final ProducerFencedException | InvalidProducerEpochException e) {
                retryOrGiveUp(attempt, e);
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof ProducerFencedException
                        || e.getCause() instanceof InvalidProducerEpochException) {
                    retryOrGiveUp(attempt, e.getCause());
                } else {
                    throw new DefinitionsUnavailable("the meter definitions could not be written: " + e.getCause(), e);
                }
            } catch (final TimeoutException | KafkaException e) {
                throw new DefinitionsUnavailable("the meter definitions could not be written: " + e, e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DefinitionsUnavailable("interrupted while writing a meter definition", e);
            }
        }
    }

    private static void retryOrGiveUp(final int attempt, final Throwable fenced) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new DefinitionsUnavailable("another writer of the meter definitions came in " + attempt
                    + " times in a row", fenced);
        }
        LOG.log(Level.FINE, "another writer of the meter definitions came in; deciding again", fenced);
    }

    private KafkaProducer<String, byte[]> transactionalProducer() {
        return new KafkaProducer<>(kafka.config(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, Topics.METER_DEFINITIONS_WRITER,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "query-api-meter-definitions")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The end of what is committed in the topic (its last stable offset). */
    private long committedEnd() throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(PARTITION)
                .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
    }

    private void awaitRead(final long offset, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (readThrough < offset) {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    throw new DefinitionsUnavailable("the meter definitions were not read through offset " + offset
                            + " within " + timeout.toSeconds() + " s", null);
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DefinitionsUnavailable("interrupted while reading the meter definitions", e);
                }
            }
        }
    }

    private void read() {
        try {
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                final long position = consumer.position(PARTITION);
                synchronized (progress) {
                    readThrough = position;
                    progress.notifyAll();
                }
            }
        } catch (final WakeupException e) {
            // close() stops the reader
        } catch (final RuntimeException e) {
            LOG.log(Level.SEVERE, "the meter definitions reader stopped", e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5)); // the consumer is this thread's alone
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void apply(final ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            meters.remove(record.key());
            return;
        }
        try {
            final StoredMeter meter = StoredMeterJson.read(record.value(), rules);
            meters.put(meter.key(), meter);
        } catch (final IllegalArgumentException e) {
            // Only query-api writes this topic: a record it cannot read is a foreign writer's, and is skipped.
            LOG.log(Level.WARNING, "skipped meter definition record at offset " + record.offset() + ": "
                    + e.getMessage());
        }
    }

    /** Whether the reader is still following the topic (readiness). */
    boolean following() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        if (reader.getState() == Thread.State.NEW) {
            consumer.close();
        } else {
            consumer.wakeup();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        admin.close(Duration.ofSeconds(5));
    }

    /** The definitions topic cannot be written or read now: a 503 for the client. */
    static final class DefinitionsUnavailable extends RuntimeException {
        DefinitionsUnavailable(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
