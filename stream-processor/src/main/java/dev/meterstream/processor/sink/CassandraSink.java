package dev.meterstream.processor.sink;

import dev.meterstream.support.kafka.KafkaConnection;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.event.Topics;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Text;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.UsageEventJson;
import dev.meterstream.event.WindowAggregateBytes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The Cassandra sink: reads the canonical log and the aggregates topic ({@code read_committed}, in a consumer
 * group of its own) and writes the view tables. It gathers records for a flush interval, writes them, and only
 * then commits the consumer's positions, so a record's offset is committed only after its rows are in Cassandra;
 * a crash before the commit means the records are read and written again, which the idempotent writes make
 * harmless.
 *
 * <p>When Cassandra is away, a flush fails after its retries: the sink stops reading (pauses, keeping its position
 * and group membership), reports unhealthy, and tries the same flush again with backoff until Cassandra answers,
 * then carries on where it was. One thread does all of this; Cassandra requests are asynchronous.
 */
public final class CassandraSink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CassandraSink.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    /** Runs after a flush's rows are written and before its offsets are committed (tests crash the sink here). */
    @FunctionalInterface
    public interface BeforeCommit {
        void run(int flush);

        BeforeCommit NOTHING = flush -> { };
    }

    private final SinkSettings settings;
    private final KafkaConnection kafka;
    private final String processorGroup;
    private final String repartitionTopic;
    private final SinkMetrics metrics;
    private final BeforeCommit beforeCommit;
    private final Runnable onFailure;
    private final SinkBuffer buffer = new SinkBuffer();
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean healthy;
    private volatile String status = "starting";
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private FlushWriter writer;
    private SinkDeadLetters deadLetters;
    private int flushes;

    private CassandraSink(final SinkSettings settings, final KafkaConnection kafka, final String processorGroup,
                          final String repartitionTopic, final SinkMetrics metrics, final BeforeCommit beforeCommit,
                          final Runnable onFailure) {
        this.settings = settings;
        this.kafka = kafka;
        this.processorGroup = processorGroup;
        this.repartitionTopic = repartitionTopic;
        this.metrics = metrics;
        this.beforeCommit = beforeCommit;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "cassandra-sink");
    }

    /** What the sink reads, of a processor with this application id: its lag is on these. */
    public static List<String> inputTopics(final String processorGroup) {
        return List.of(Topics.EVENTS, Topics.AGGREGATES, Topics.METER_AGGREGATES, Topics.METER_BOUNDARIES,
                Topics.liveMeterStates(processorGroup));
    }

    /**
     * Starts the sink on its own thread.
     *
     * @param processorGroup   the processor's application id, whose progress is part of the views' freshness
     * @param repartitionTopic the processor's topic between events and aggregates, also part of it
     * @param onFailure        runs (on the sink's thread, as it ends) if the sink stops for any reason but
     *                         {@link #close}: the views would stop advancing, so the process should end and be
     *                         restarted rather than run on without them
     */
    public static CassandraSink start(final SinkSettings settings, final KafkaConnection kafka,
                                      final String processorGroup, final String repartitionTopic,
                                      final SinkMetrics metrics, final BeforeCommit beforeCommit,
                                      final Runnable onFailure) {
        final CassandraSink sink = new CassandraSink(settings, kafka, processorGroup, repartitionTopic,
                metrics, beforeCommit, onFailure);
        sink.thread.start();
        return sink;
    }

    /** True while Cassandra takes the writes; false before the first connection, during an outage, or after a failure. */
    public boolean healthy() {
        return healthy;
    }

    /** What the sink is doing, for the health detail. */
    public String status() {
        return status;
    }

    /** Whether the sink's thread has ended (closed, or failed). */
    public boolean stopped() {
        return !thread.isAlive();
    }

    private void run() {
        try (CqlSession session = SinkSession.open(settings, closed, text -> status = text);
             CassandraRequests requests = session == null ? null : new CassandraRequests(session, settings, metrics);
             Admin admin = Admin.create(kafka.config());
             SinkDeadLetters deadLetters = new SinkDeadLetters(kafka, settings.groupId(), metrics)) {
            if (session == null) {
                return;
            }
            this.deadLetters = deadLetters;
            final String keyspace = settings.cassandra().keyspace().name();
            final ReplicaGroups replicas = settings.batchByReplicas() ? ReplicaGroups.of(session, keyspace)
                    : ReplicaGroups.NONE;
            writer = new FlushWriter(new ViewWriter(session, keyspace, requests, settings.batchRows(), replicas),
                    deadLetters);
            final ViewProgress progress = new ViewProgress(admin, processorGroup, settings.groupId(),
                    new PipelineWatermark.Topics(Topics.RAW, repartitionTopic,
                            Topics.EVENTS, Topics.AGGREGATES), settings.progressInterval(), session, keyspace,
                    metrics);
            consumer = new KafkaConsumer<>(consumerConfig(settings, kafka), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            try {
                consume(progress);
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        } catch (final WakeupException e) {
            // closing
        } catch (final RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "the Cassandra sink stopped", e);
            status = "stopped: " + e;
        } finally {
            healthy = false;
            if (closing) {
                status = "closed";
            } else {
                onFailure.run();
            }
        }
    }

    private void consume(final ViewProgress progress) {
        consumer.subscribe(inputTopics(processorGroup), new Rebalance());
        status = "consuming";
        healthy = true;
        long nextProgress = 0;
        while (!closing) {
            if (buffer.records() < settings.maxBufferedRecords()) {
                try {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        add(record);
                    }
                } catch (final WakeupException e) {
                    continue;
                }
            }
            if (!buffer.isEmpty() && (buffer.ageNanos() >= settings.flushInterval().toNanos()
                    || buffer.records() >= settings.maxBufferedRecords())) {
                flushUntilWritten();
            }
            if (System.nanoTime() - nextProgress >= 0) {
                progress.update();
                nextProgress = System.nanoTime() + settings.progressInterval().toNanos();
            }
        }
        if (!buffer.isEmpty()) {
            flushOnce();
        }
    }

    private void add(final ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.value() == null) {
                buffer.consumed();
            } else if (record.topic().equals(Topics.EVENTS)) {
                final SequencedEvent logged = UsageEventBytes.readSequenced(record.value());
                // The processor writes only events the edge's rules accept; another writer's could hold text the
                // event rows' blob cannot keep exactly (V010), so it is dead-lettered, not stored altered.
                final String problem = Text.wellFormed(logged.event());
                if (problem != null) {
                    throw new IllegalArgumentException("the views cannot hold it exactly: " + problem);
                }
                buffer.addEvent(logged, record);
            } else if (record.topic().equals(Topics.AGGREGATES)) {
                buffer.addAggregate(Bytes.wrap(record.key()), WindowAggregateBytes.read(record.value()), record);
            } else {
                buffer.addMeterRow(Bytes.wrap(record.key()), MeterRow.read(record.key(), record.value()), record);
            }
        } catch (final UsageEventJson.MalformedEventException | IllegalArgumentException e) {
            // Only the processor writes these topics; an unreadable record is a bug there (or another writer's).
            // Dead-lettered, not allowed to stop the views.
            LOG.warning("dead-lettering unreadable record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + ": " + e.getMessage());
            deadLetters.send(record, "unreadable: " + e.getMessage());
            buffer.consumed();
        }
    }

    /** Writes and commits the buffer, trying again with backoff (not reading meanwhile) until it succeeds. */
    private void flushUntilWritten() {
        long backoff = settings.retryBackoff().toMillis();
        while (!buffer.isEmpty()) {
            if (flushOnce()) {
                if (!consumer.paused().isEmpty()) {
                    LOG.info("Cassandra takes writes again; reading on");
                    consumer.resume(consumer.paused());
                }
                return;
            }
            if (closing) {
                return;
            }
            consumer.pause(consumer.assignment());
            // Polling paused partitions returns nothing but keeps the group membership; it waits out the backoff.
            try {
                consumer.poll(Duration.ofMillis(backoff));
            } catch (final WakeupException e) {
                return;
            }
            backoff = Math.min(backoff * 2, settings.maxRetryBackoff().toMillis());
        }
    }

    /**
     * One attempt to write and commit the buffer; false (buffer kept) if Cassandra did not take it for a reason
     * that may pass ({@link FlushWriter} dead-letters records refused for good).
     */
    private boolean flushOnce() {
        final long started = System.nanoTime();
        final RuntimeException failure = writer.write(buffer);
        if (failure != null) {
            return unavailable(failure);
        }
        beforeCommit.run(++flushes);
        try {
            consumer.commitSync(positions());
        } catch (final CommitFailedException | RebalanceInProgressException e) {
            // The group moved on: the rows are written, the offsets not; whoever reads these partitions next
            // writes the same rows again. Start over from the committed offsets.
            LOG.info("commit after a flush refused by a rebalance; rereading from the committed offsets");
            rewindToCommitted();
        }
        buffer.clear();
        metrics.flushed(Duration.ofNanos(System.nanoTime() - started));
        healthy = true;
        status = "consuming";
        return true;
    }

    private boolean unavailable(final RuntimeException e) {
        metrics.flushFailed();
        if (healthy) {
            LOG.warning("cannot write to Cassandra (" + WriteFailures.rootMessage(e) + "); pausing, will try again");
        }
        healthy = false;
        status = "Cassandra unavailable: " + WriteFailures.rootMessage(e);
        return false;
    }

    /** The consumer's positions: everything polled is in the buffer, so these are exactly what it holds. */
    private Map<TopicPartition, OffsetAndMetadata> positions() {
        final Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (final TopicPartition partition : consumer.assignment()) {
            positions.put(partition, new OffsetAndMetadata(consumer.position(partition)));
        }
        return positions;
    }

    /** Drops the buffer and goes back to the committed offsets of every assigned partition. */
    private void rewindToCommitted() {
        buffer.clear();
        writer.forget();
        final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
        for (final TopicPartition partition : consumer.assignment()) {
            final OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    /** Before partitions go, their gathered records are written and committed, or dropped to be read again. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && !buffer.isEmpty() && !flushOnce()) {
                rewindToCommitted();
            }
            writer.forget();
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            writer.forget();
        }

        @Override
        public void onPartitionsLost(final Collection<TopicPartition> partitions) {
            rewindToCommitted();
        }
    }

    /** The sink consumer's configuration (package-private for its test). */
    static Properties consumerConfig(final SinkSettings settings, final KafkaConnection kafka) {
        final Properties config = new Properties();
        config.putAll(kafka.config());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // It reads a changelog Kafka Streams makes (Topics.liveMeterStates): never make it first, wrongly.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(5_000, settings.maxBufferedRecords()));
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, settings.fetchMinBytes());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) settings.fetchMaxWait().toMillis());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        return config;
    }

    @Override
    public void close() {
        closing = true;
        closed.countDown();
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
