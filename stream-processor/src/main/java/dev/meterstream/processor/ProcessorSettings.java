package dev.meterstream.processor;

import dev.meterstream.event.EventRules;
import dev.meterstream.processor.topology.DeadLetters;
import dev.meterstream.processor.topology.TopologySettings;
import dev.meterstream.support.kafka.FetchWait;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything stream-processor reads from configuration, typed and checked in one place (keys under
 * {@code processor.}, plus the shared {@code kafka.}, {@code topics.} and {@code events.}); the defaults are in
 * {@code stream-processor.yaml} and the shared {@code meterstream.yaml}, nowhere else.
 *
 * @param applicationId      Kafka Streams application id: consumer group, prefix of internal topics
 * @param kafka              Kafka's brokers and the settings every client needs (security)
 * @param stateDir           where RocksDB state lives
 * @param dedupeHotWindow    how long ids stay in the hot dedupe tier (in memory); copies arriving later are still
 *                           dropped through the lateness horizon by the cold tier
 * @param dedupeHotMaxIds    most ids in the hot tier per task (bounds its memory: about 150 bytes each)
 * @param latenessHorizon    events this much older than the newest are still counted in their windows
 * @param futureTolerance    an event whose time lies further than this after the time it was received goes to the
 *                           dead-letter topic (the edge refuses such events; the brokers refuse records stamped
 *                           more than an hour ahead, which would stop the aggregation)
 * @param exactlyOnce        exactly_once_v2 (true) or at_least_once (benchmarks only)
 * @param streamThreads      stream threads in this instance
 * @param commitInterval     how often a transaction commits (and aggregates are emitted)
 * @param cacheMaxBytes      record cache that folds repeated aggregate updates between commits
 * @param meterStateEntries  most defined meters' states (and distinct values) a task holds as objects: the ones in
 *                           use are folded into without reading the store (about 300 bytes each)
 * @param seriesWindowEntries most written minute, hour and day totals of series a task keeps as objects, so that a
 *                           series' next event folds into them without reading RocksDB (about 250 bytes each)
 * @param topicPartitions    partitions of the raw topic if this service creates it ({@code topics.raw-partitions},
 *                           shared with the edge); the log and aggregates get as many as the raw topic has
 * @param rawRetention       how long the raw topic keeps events ({@code topics.raw-retention}, shared with the edge)
 * @param lagAlarmShare      readiness turns red once the oldest raw record not yet processed is this share of
 *                           {@code rawRetention} old: past the retention, acknowledged events would be lost
 * @param fetchMinBytes      how much a stream thread's fetch waits for (at most {@code fetchMaxWait}); Kafka's
 *                           default of 1 answers each append that trickles in with a fetch of its own
 * @param fetchMaxWait       how long the stream threads' fetches may wait for {@code fetchMinBytes} before returning
 *                           what there is (under load they fill at once; a trickle is fetched this often)
 * @param standbyReplicas    warm copies of each task's stores on other instances ({@code num.standby.replicas})
 * @param sessionTimeout     how long a dead instance's tasks wait before the others take them
 *                           ({@code session.timeout.ms} of the stream threads' consumers)
 */
public record ProcessorSettings(
        String applicationId,
        KafkaConnection kafka,
        Path stateDir,
        Duration dedupeHotWindow,
        int dedupeHotMaxIds,
        Duration latenessHorizon,
        Duration futureTolerance,
        boolean exactlyOnce,
        int streamThreads,
        Duration commitInterval,
        long cacheMaxBytes,
        int meterStateEntries,
        int seriesWindowEntries,
        int topicPartitions,
        Duration rawRetention,
        double lagAlarmShare,
        int fetchMinBytes,
        Duration fetchMaxWait,
        int standbyReplicas,
        Duration sessionTimeout) {

    public ProcessorSettings {
        if (dedupeHotWindow.isNegative() || dedupeHotWindow.isZero()
                || dedupeHotWindow.compareTo(latenessHorizon) > 0) {
            throw new IllegalArgumentException("processor.dedupe-hot-window must be positive and at most "
                    + "events.lateness-horizon (" + latenessHorizon + "), was " + dedupeHotWindow);
        }
        if (dedupeHotMaxIds < 1) {
            throw new IllegalArgumentException("processor.dedupe-hot-max-ids must be at least 1, was "
                    + dedupeHotMaxIds);
        }
        if (latenessHorizon.isNegative() || latenessHorizon.isZero()) {
            throw new IllegalArgumentException("events.lateness-horizon must be positive, was " + latenessHorizon);
        }
        if (futureTolerance.isNegative() || futureTolerance.compareTo(MAX_FUTURE_TOLERANCE) > 0) {
            throw new IllegalArgumentException("events.future-tolerance must be between 0 and "
                    + MAX_FUTURE_TOLERANCE + " (brokers refuse records stamped further ahead), was " + futureTolerance);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("processor.stream-threads must be at least 1, was " + streamThreads);
        }
        if (meterStateEntries < 1) {
            throw new IllegalArgumentException("processor.meter-state-entries must be at least 1, was "
                    + meterStateEntries);
        }
        if (seriesWindowEntries < 0) {
            throw new IllegalArgumentException("processor.series-window-entries must be 0 or more, was "
                    + seriesWindowEntries);
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException(ServiceConfig.RAW_PARTITIONS + " must be at least 1, was "
                    + topicPartitions);
        }
        if (rawRetention.isNegative() || rawRetention.isZero()) {
            throw new IllegalArgumentException("topics.raw-retention must be positive, was " + rawRetention);
        }
        if (fetchMinBytes < 1) {
            throw new IllegalArgumentException("processor.fetch-min-bytes must be at least 1, was " + fetchMinBytes);
        }
        FetchWait.checked("processor.fetch-max-wait", fetchMaxWait);
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("processor.standby-replicas must be 0 or more, was " + standbyReplicas);
        }
        // The consumer's heartbeat is every 3 s; a session of fewer than two heartbeats would end on one late one.
        if (sessionTimeout.compareTo(Duration.ofSeconds(6)) < 0) {
            throw new IllegalArgumentException("processor.session-timeout must be at least PT6S, was "
                    + sessionTimeout);
        }
        if (!(lagAlarmShare > 0 && lagAlarmShare < 1)) {
            throw new IllegalArgumentException("processor.lag-alarm-share must be between 0 and 1 (exclusive), was "
                    + lagAlarmShare);
        }
    }

    /** The file of stream-processor's own defaults (see {@link ServiceConfig}). */
    public static final String DEFAULTS = "stream-processor.yaml";

    /** How far behind (by record age) the processor may fall before its readiness turns red. */
    public Duration lagAlarm() {
        return Duration.ofMillis((long) (rawRetention.toMillis() * lagAlarmShare));
    }

    /** Below the brokers' default message.timestamp.after.max.ms (1 hour). */
    public static final Duration MAX_FUTURE_TOLERANCE = Duration.ofMinutes(55);

    /** stream-processor's settings from its configuration ({@link ServiceConfig}); every key is required. */
    public static ProcessorSettings from(final Config config) {
        final Config processor = config.get("processor");
        final EventRules rules = ServiceConfig.eventRules(config);
        return new ProcessorSettings(
                processor.get("application-id").asString().get(),
                KafkaConnection.from(config),
                Path.of(processor.get("state-dir").asString().get()),
                processor.get("dedupe-hot-window").as(Duration.class).get(),
                processor.get("dedupe-hot-max-ids").asInt().get(),
                rules.latenessHorizon(),
                rules.futureTolerance(),
                processor.get("exactly-once").asBoolean().get(),
                processor.get("stream-threads").asInt().get(),
                processor.get("commit-interval").as(Duration.class).get(),
                processor.get("cache-max-bytes").asLong().get(),
                processor.get("meter-state-entries").asInt().get(),
                processor.get("series-window-entries").asInt().get(),
                config.get(ServiceConfig.RAW_PARTITIONS).asInt().get(),
                ServiceConfig.rawRetention(config),
                processor.get("lag-alarm-share").asDouble().get(),
                processor.get("fetch-min-bytes").asInt().get(),
                processor.get("fetch-max-wait").as(Duration.class).get(),
                processor.get("standby-replicas").asInt().get(),
                processor.get("session-timeout").as(Duration.class).get());
    }

    /**
     * The defaults with an instance's own identity (tests and benchmarks), to be changed with the {@code with}
     * methods: no default is written here.
     */
    public static ProcessorSettings defaults(final String applicationId, final String bootstrapServers,
                                             final Path stateDir) {
        return from(ServiceConfig.defaults(DEFAULTS, Map.of(
                "processor.application-id", applicationId,
                ServiceConfig.BOOTSTRAP_SERVERS, bootstrapServers,
                "processor.state-dir", stateDir.toString())));
    }

    public ProcessorSettings withDedupeHotWindow(final Duration value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, value, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withExactlyOnce(final boolean value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, value, streamThreads, commitInterval, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withStreamThreads(final int value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, value, commitInterval, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withCommitInterval(final Duration value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, value, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withCacheMaxBytes(final long value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, value,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withMeterStateEntries(final int value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, cacheMaxBytes,
                value, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withSeriesWindowEntries(final int value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, cacheMaxBytes,
                meterStateEntries, value, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withRawPartitions(final int value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, value, rawRetention, lagAlarmShare, fetchMinBytes, fetchMaxWait,
                standbyReplicas, sessionTimeout);
    }

    public ProcessorSettings withFetchMaxWait(final Duration value) {
        return new ProcessorSettings(applicationId, kafka, stateDir, dedupeHotWindow, dedupeHotMaxIds,
                latenessHorizon, futureTolerance, exactlyOnce, streamThreads, commitInterval, cacheMaxBytes,
                meterStateEntries, seriesWindowEntries, topicPartitions, rawRetention, lagAlarmShare, fetchMinBytes, value,
                standbyReplicas, sessionTimeout);
    }

    /** What the topology is built from. */
    public TopologySettings topology() {
        return new TopologySettings(rules(), dedupeHotWindow, dedupeHotMaxIds, commitInterval, meterStateEntries,
                seriesWindowEntries);
    }

    /** The event rules, with the same horizon and tolerance as the edge's (both read {@code events.}). */
    public EventRules rules() {
        return EventRules.of(latenessHorizon, futureTolerance);
    }

    /** The Kafka Streams configuration these settings make, for a single broker (tests, benchmarks). */
    public Properties streamsConfig() {
        return streamsConfig(TopicSetup.Replication.forBrokers(1));
    }

    /** The Kafka Streams configuration these settings make, its internal topics replicated as given. */
    public Properties streamsConfig(final TopicSetup.Replication replication) {
        final Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // The connection first: the bootstrap servers and every client setting (security) from kafka.client.*.
        config.putAll(kafka.config());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        // Internal topics (changelogs, repartition) are replicated like the system's own topics, never by the
        // brokers' default: a changelog on one replica loses the dedupe and sequence state with its broker.
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(replication.minInSync()));
        // A record that fails in a processor or cannot be written goes to the dead-letter topic, and the task goes
        // on: a failed thread would be replaced and fail on the same record again, for ever.
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Production.class);
        config.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        // A transaction's records are flushed at its commit anyway; lingering until then sends each partition's
        // records in as few batches as possible (fewer appends, replica fetches and transaction verifications on the
        // brokers). A batch's linger runs from its first record, so at one commit interval the batches opened just
        // after a commit could fall due one by one before the next; at three, only the commit sends them (with
        // CommitFlushedClients, one produce request per commit: docs/benchmarks.md, "Session 11").
        // (At most a minute: the producer refuses a linger that, with its request timeout, passes its delivery
        // timeout of two minutes.)
        config.put(StreamsConfig.producerPrefix("linger.ms"), (int) Math.min(60_000, 3 * commitInterval.toMillis()));
        // A fetch answers once fetchMinBytes are there or fetchMaxWait has passed: in catch-up at once, while live at
        // most every fetchMaxWait, instead of one fetch per append that trickles in (the consumers' default of one
        // byte). Only the main consumer: restoring state must not wait at the end of each changelog.
        config.put(StreamsConfig.mainConsumerPrefix("fetch.min.bytes"), fetchMinBytes);
        config.put(StreamsConfig.mainConsumerPrefix("fetch.max.wait.ms"), (int) fetchMaxWait.toMillis());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), (int) sessionTimeout.toMillis());
        return config;
    }
}
