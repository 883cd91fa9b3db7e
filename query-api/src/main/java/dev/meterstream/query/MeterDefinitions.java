package dev.meterstream.query;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.Topics;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tenants' meter definitions as the definitions topic holds them: read from its start into memory by a thread
 * of its own, and written there (acks=all, idempotent). A change is answered only once this instance has read its
 * own record back, so a GET after a PUT sees it, and the map is never ahead of the topic.
 *
 * <p>Writes are serialised within this instance. Two instances changing one meter at once could both make "the
 * next version"; one query-api instance is all there is until issue 19 (docs/status.md, issue 17, says how that is
 * to be closed).
 */
final class MeterDefinitions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeterDefinitions.class.getName());
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.METER_DEFINITIONS, 0);

    private final EventRules rules;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, StoredMeter> meters = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    /** The offset of the next record the reader will apply; guarded by {@link #progress}. */
    private long readThrough;
    private volatile boolean running = true;
    private final Thread reader;

    private MeterDefinitions(final String bootstrapServers, final EventRules rules, final Clock clock) {
        this.rules = rules;
        this.clock = clock;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "query-api-meter-definitions"),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "query-api-meter-definitions"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::read, "meter-definitions");
        this.reader.setDaemon(true);
    }

    /** Creates the topic if missing, reads it to its end, and keeps reading it. */
    static MeterDefinitions start(final String bootstrapServers, final EventRules rules) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicSetup.ensure(admin, TopicSpec.meterDefinitions());
        }
        final MeterDefinitions definitions = new MeterDefinitions(bootstrapServers, rules, Clock.systemUTC());
        try {
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

    /** The tenant's meters, deleted ones included, by slug. */
    List<StoredMeter> all(final String tenant) {
        return meters.values().stream().filter(meter -> meter.tenant().equals(tenant))
                .sorted(Comparator.comparing(meter -> meter.definition().slug())).toList();
    }

    /** Puts a definition; returns once its record is written and read back (nothing is written if unchanged). */
    synchronized StoredMeter.Put put(final String tenant, final MeterDefinition definition) {
        final StoredMeter.Put put = StoredMeter.put(get(tenant, definition.slug()), tenant, definition,
                clock.instant());
        if (put.outcome() != StoredMeter.Outcome.UNCHANGED) {
            write(put.meter());
        }
        return put;
    }

    /** Deletes a meter that is not deleted yet; returns its record as deleted, or empty if there was none. */
    synchronized Optional<StoredMeter> delete(final String tenant, final String slug) {
        final Optional<StoredMeter> current = get(tenant, slug).filter(meter -> !meter.deleted());
        current.ifPresent(meter -> write(meter.delete(clock.instant())));
        return current.map(meter -> meters.get(meter.key()));
    }

    private void write(final StoredMeter meter) {
        try {
            final RecordMetadata written = producer.send(new ProducerRecord<>(Topics.METER_DEFINITIONS, 0,
                    meter.key(), StoredMeterJson.bytes(meter))).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitRead(written.offset() + 1, WRITE_TIMEOUT);
        } catch (final ExecutionException | TimeoutException e) {
            throw new DefinitionsUnavailable("the meter definitions could not be written: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DefinitionsUnavailable("interrupted while writing a meter definition", e);
        }
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
        producer.close(Duration.ofSeconds(5));
    }

    /** The definitions topic cannot be written or read now: a 503 for the client. */
    static final class DefinitionsUnavailable extends RuntimeException {
        DefinitionsUnavailable(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
