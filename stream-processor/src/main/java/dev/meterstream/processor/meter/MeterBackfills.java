package dev.meterstream.processor.meter;

import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.event.EventRules;
import dev.meterstream.event.Topics;
import dev.meterstream.meter.MeterProgress;
import dev.meterstream.meter.MeterRecordJson;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import dev.meterstream.event.StoreNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Runs the backfills of defined meters: the versions waiting are folded together, in one Kafka Streams application
 * of their own (the topology package's {@code BackfillTopology}) that reads the canonical log from its start.
 *
 * <p>It reads the definitions and the boundaries topics (both one partition) to their ends, again and again. A
 * meter version is backfilled once it is the current record of its meter (deleted or not: a deleted meter's
 * history stays readable) and every shard has recorded its boundary. A version whose every boundary is 0 (defined
 * before its shards had events) has nothing to fold: its progress is written at once, with no application. A
 * backfill is finished when every task has folded its shard up to the boundaries: closing the application then
 * commits the last of it, and only a clean close is noted ({@link MeterRecordKey.Backfilled} on the boundaries
 * topic), so that a crash before the note runs it again, from its last commit if the same versions wait, else
 * from the start with the new set (the old application's group and changelog are deleted). Its consumer group,
 * changelog and local state are deleted after.
 *
 * <p>Known limit: with several processor instances, each closes its part once its own tasks are done and notes
 * the version as finished; an instance that still has tasks goes on, but one that crashes before its part is
 * committed leaves it to a restart that sees the note. Until issue 19 runs several instances, the processor is one.
 */
public final class MeterBackfills implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeterBackfills.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Between the processor's application id and a backfill's digest: {@code <id>-backfill-<digest>}. */
    private static final String BACKFILL_INFIX = "-backfill-";

    private final Properties streamsConfig;
    private final String applicationId;
    private final EventRules rules;
    /** Builds a backfill's topology (meter, boundaries, watch). */
    private final BackfillTopologies topologies;
    private final int shards;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean closing;

    private final Map<String, StoredMeter> definitions = new HashMap<>();
    private final Map<MeterVersion, Map<Integer, Long>> boundaries = new HashMap<>();
    private final Set<MeterVersion> finished = new HashSet<>();
    private Running running;
    private volatile String status = "idle";
    /** Set when the coordinator stopped on an error: no meter defined since will be backfilled until a restart. */
    private volatile boolean failed;

    /** Makes the topology of one backfill (the topology package's {@code BackfillTopology}). */
    @FunctionalInterface
    public interface BackfillTopologies {
        org.apache.kafka.streams.Topology build(List<Backfill> backfills, BackfillWatch watch);
    }

    private record Running(List<Backfill> backfills, KafkaStreams streams, BackfillWatch watch,
                           String applicationId) {
    }

    /**
     * @param streamsConfig the processor's Kafka Streams configuration, which each backfill's is made from
     * @param kafka         the connection its own consumer and producer use
     * @param shards        partitions of the canonical log (= raw partitions)
     */
    public MeterBackfills(final Properties streamsConfig, final KafkaConnection kafka, final EventRules rules,
                          final BackfillTopologies topologies, final int shards, final Admin admin) {
        this.streamsConfig = streamsConfig;
        this.applicationId = streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        this.rules = rules;
        this.topologies = topologies;
        this.shards = shards;
        this.admin = admin;
        this.consumer = new KafkaConsumer<>(kafka.config(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(kafka.config(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "meter-backfills");
    }

    public MeterBackfills start() {
        thread.start();
        return this;
    }

    /** What it is doing, for the health detail. */
    public String status() {
        return status;
    }

    /** False once the coordinator has stopped on an error (a liveness failure: a restart starts it again). */
    public boolean healthy() {
        return !failed;
    }

    private void run() {
        final List<TopicPartition> partitions = List.of(new TopicPartition(Topics.METER_DEFINITIONS, 0),
                new TopicPartition(Topics.METER_BOUNDARIES, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        try {
            while (!closing) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    read(record);
                }
                step();
            }
        } catch (final ExecutionException | TimeoutException e) {
            LOG.log(Level.SEVERE, "meter backfills stopped: Kafka did not answer", e);
            status = "failed: " + e;
            failed = true;
        } catch (final org.apache.kafka.common.errors.WakeupException | InterruptedException e) {
            if (!closing) {
                LOG.log(Level.SEVERE, "meter backfills interrupted", e);
            }
        } catch (final RuntimeException e) {
            LOG.log(Level.SEVERE, "meter backfills stopped", e);
            status = "failed: " + e;
            failed = true;
        } finally {
            if (running != null) {
                running.streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
            consumer.close();
            producer.close();
        }
    }

    private void read(final ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.topic().equals(Topics.METER_DEFINITIONS)) {
            final String key = new String(record.key(), StandardCharsets.UTF_8);
            try {
                definitions.put(key, StoredMeterJson.read(record.value(), rules));
            } catch (final IllegalArgumentException e) {
                LOG.log(Level.WARNING, "meter definition " + key + " does not read; not backfilled", e);
            }
            return;
        }
        try {
            switch (MeterRecordKey.read(record.key())) {
                case MeterRecordKey.Boundary boundary -> boundaries.computeIfAbsent(boundary.meter(),
                        meter -> new HashMap<>()).put(boundary.shard(), MeterRecordJson.boundary(record.value())
                        .sequence());
                case MeterRecordKey.Backfilled backfilled -> finished.add(backfilled.meter());
                default -> {
                }
            }
        } catch (final IllegalArgumentException e) {
            LOG.log(Level.WARNING, "boundaries record " + record.partition() + "@" + record.offset() + " does not read", e);
        }
    }

    private void step() throws InterruptedException, ExecutionException, TimeoutException {
        if (running != null) {
            if (allLocalTasksDone()) {
                stop();
            }
            return;
        }
        final List<Backfill> pending = new ArrayList<>();
        for (final StoredMeter meter : definitions.values()) {
            final MeterVersion version = MeterVersion.of(meter);
            final Map<Integer, Long> known = boundaries.get(version);
            if (!finished.contains(version) && known != null && known.size() >= shards) {
                pending.add(new Backfill(meter, known));
            }
        }
        final List<Backfill> toFold = new ArrayList<>();
        for (final Backfill backfill : pending) {
            if (backfill.empty()) {
                // Counted live from each shard's first event: nothing to fold, so no application to run.
                for (int shard = 0; shard < shards; shard++) {
                    producer.send(new ProducerRecord<>(Topics.METER_AGGREGATES, new MeterRecordKey.Progress(
                            MeterVersion.of(backfill.meter()), shard).bytes(),
                            MeterRecordJson.write(new MeterProgress(0, 0))));
                }
                noteFinished(backfill);
            } else {
                toFold.add(backfill);
            }
        }
        if (!toFold.isEmpty()) {
            begin(toFold);
        } else {
            status = "idle";
        }
    }

    private boolean allLocalTasksDone() {
        if (running.streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        for (final ThreadMetadata thread : running.streams.metadataForLocalThreads()) {
            for (final var task : thread.activeTasks()) {
                if (!running.watch.done(task.taskId().partition())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Starts one application for all of {@code backfills}: one pass over the log, however many there are. */
    private void begin(final List<Backfill> backfills) throws ExecutionException, InterruptedException,
            TimeoutException {
        final List<String> versions = backfills.stream()
                .map(backfill -> MeterVersion.of(backfill.meter()).toString()).sorted()
                .toList();
        final String id = applicationId + BACKFILL_INFIX + digest(String.join("\n", versions));
        deleteOtherBackfills(id);
        final Properties config = new Properties();
        config.putAll(streamsConfig);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.STATE_DIR_CONFIG, streamsConfig.getProperty(StreamsConfig.STATE_DIR_CONFIG)
                + "/backfills");
        final BackfillWatch watch = new BackfillWatch();
        final KafkaStreams streams = new KafkaStreams(topologies.build(backfills, watch), config);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.log(Level.SEVERE, "backfill " + id + " failed; its thread is replaced", error);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        LOG.info("backfilling " + versions.size() + " meter versions as " + id + ": " + versions);
        streams.start();
        running = new Running(backfills, streams, watch, id);
        status = "backfilling " + versions.size() + " meter versions";
    }

    private void stop() throws InterruptedException, ExecutionException, TimeoutException {
        final Running stopping = running;
        running = null;
        final boolean closed = stopping.streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!closed) {
            // Not committed for sure: run again from the last commit on the next step.
            LOG.warning("backfill " + stopping.applicationId + " did not close within " + CLOSE_TIMEOUT);
            return;
        }
        for (final Backfill backfill : stopping.backfills) {
            noteFinished(backfill);
        }
        LOG.info("backfill " + stopping.applicationId + " finished");
        stopping.streams.cleanUp();
        delete(stopping.applicationId);
    }

    /** Notes on the boundaries topic that a version is backfilled and committed, so no restart runs it again. */
    private void noteFinished(final Backfill backfill) throws InterruptedException, ExecutionException,
            TimeoutException {
        final MeterVersion version = MeterVersion.of(backfill.meter());
        producer.send(new ProducerRecord<>(Topics.METER_BOUNDARIES, new MeterRecordKey.Backfilled(version).bytes(),
                "{}".getBytes(StandardCharsets.UTF_8))).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        finished.add(version);
    }

    /**
     * Deletes what earlier backfills left (a crash before their end, with another set of versions pending now: they
     * are folded again from the start, in the new application).
     */
    private void deleteOtherBackfills(final String keep) throws ExecutionException, InterruptedException,
            TimeoutException {
        for (final var group : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
            if (group.groupId().startsWith(applicationId + BACKFILL_INFIX) && !group.groupId().equals(keep)) {
                delete(group.groupId());
            }
        }
    }

    private void delete(final String backfillId) {
        try {
            admin.deleteConsumerGroups(List.of(backfillId)).all().get(30, TimeUnit.SECONDS);
            admin.deleteTopics(List.of(StoreNames.changelog(backfillId, StoreNames.METER_STATES)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException | InterruptedException e) {
            LOG.log(Level.WARNING, "could not delete what backfill " + backfillId + " left in Kafka", e);
        }
    }

    private static String digest(final String text) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final byte[] hash = sha.digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.plusSeconds(10).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
