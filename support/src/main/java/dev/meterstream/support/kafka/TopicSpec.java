package dev.meterstream.support.kafka;

import dev.meterstream.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What each of the system's topics must be, in one place: partitions and the settings that decide whether an
 * acknowledged event can be lost. Retention is never left to the brokers' defaults (24 h on the dev brokers, a
 * week by Kafka's): the raw topic keeps an outage budget, the canonical log is the system of record and is kept
 * for ever. Replication is decided by {@link TopicSetup} from the cluster's size.
 *
 * @param name            topic name (see {@link Topics})
 * @param partitions      partitions when created
 * @param partitionsFixed whether an existing topic must have exactly that many (the log and aggregates must match
 *                        raw's); the raw topic keeps whatever count it was created with
 * @param configs         topic settings, each a minimum an existing topic must meet (see {@link TopicSetup})
 */
public record TopicSpec(String name, int partitions, boolean partitionsFixed, Map<String, String> configs) {
    /** Kafka's "for ever" for retention.ms and retention.bytes. */
    public static final String FOREVER = "-1";

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be at least 1, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /**
     * Every event the edge acknowledged, until the processor has read it: kept at least {@code retention}, the
     * longest the processor may be down (or behind) without losing an acknowledged event.
     *
     * @param partitions partitions if it is created (an existing raw topic keeps its count)
     */
    public static TopicSpec raw(final int partitions, final Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("topics.raw-retention must be positive, was " + retention);
        }
        return new TopicSpec(Topics.RAW, partitions, false, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer"));
    }

    /** The canonical log, the system of record: every distinct event for ever, as many partitions as raw. */
    public static TopicSpec events(final int rawPartitions) {
        return new TopicSpec(Topics.EVENTS, rawPartitions, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER,
                TopicConfig.RETENTION_BYTES_CONFIG, FOREVER));
    }

    /** Absolute window totals: the newest per key is all that matters, so compacted. */
    public static TopicSpec aggregates(final int rawPartitions) {
        return new TopicSpec(Topics.AGGREGATES, rawPartitions, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** Records that could not be taken: evidence for an operator, kept for ever (there are few). */
    public static TopicSpec deadLetters() {
        return new TopicSpec(Topics.DEAD_LETTERS, 1, false, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER,
                TopicConfig.RETENTION_BYTES_CONFIG, FOREVER));
    }

    /**
     * Meter definitions: one partition, so that every reader sees every change in one order; compacted, and never
     * deleted by time (a definition holds for as long as it is not changed).
     */
    public static TopicSpec meterDefinitions() {
        return new TopicSpec(Topics.METER_DEFINITIONS, 1, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER));
    }

    /** API keys: one partition (a few records per tenant), compacted, kept for ever (a revocation too). */
    public static TopicSpec apiKeys() {
        return new TopicSpec(Topics.API_KEYS, 1, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER));
    }

    /** Defined meters' absolute states, distinct values and backfill progress: compacted, as many as raw. */
    public static TopicSpec meterAggregates(final int rawPartitions) {
        return new TopicSpec(Topics.METER_AGGREGATES, rawPartitions, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * Where live counting of each meter version began on each shard: one partition (a backfill reads all of it
     * before it starts), compacted, and kept for as long as the version is (a boundary never changes).
     */
    public static TopicSpec meterBoundaries() {
        return new TopicSpec(Topics.METER_BOUNDARIES, 1, true, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.RETENTION_MS_CONFIG, FOREVER));
    }

    /**
     * The topics the processor makes once {@link #raw} exists, in the order it makes them: all but the canonical
     * log's partition count follows raw's.
     */
    public static List<TopicSpec> processorOutputs(final int rawPartitions) {
        return List.of(events(rawPartitions), aggregates(rawPartitions), deadLetters(), meterDefinitions(),
                meterAggregates(rawPartitions), meterBoundaries());
    }

    /**
     * Every topic of the system, each as the service that uses it first would make it (Kafka Streams' internal
     * topics aside): what a cluster's declared topics (deploy/kubernetes) must match.
     */
    public static List<TopicSpec> all(final int rawPartitions, final Duration rawRetention) {
        final List<TopicSpec> all = new ArrayList<>();
        all.add(raw(rawPartitions, rawRetention));
        all.addAll(processorOutputs(rawPartitions));
        all.add(apiKeys());
        return List.copyOf(all);
    }

    /** A topic of a benchmark or test, with the cluster's defaults. */
    public static TopicSpec other(final String name, final int partitions) {
        return new TopicSpec(name, partitions, false, Map.of());
    }
}
