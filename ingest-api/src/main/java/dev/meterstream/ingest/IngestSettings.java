package dev.meterstream.ingest;

import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.event.EventRules;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything ingest-api reads from configuration, typed and checked in one place. Keys are under {@code ingest.}
 * (plus {@code auth.} and the shared {@code kafka.}, {@code topics.} and {@code events.}); the defaults are in
 * {@code ingest-api.yaml} and the shared {@code meterstream.yaml}, nowhere else.
 *
 * @param kafka               Kafka's brokers and the settings its clients need (security)
 * @param rawPartitions       partitions of the raw topic when this service creates it
 * @param rawRetention        how long the raw topic keeps events ({@code topics.raw-retention}, shared with the
 *                            processor): the longest the processor may be down without losing an acknowledged event
 * @param sendTimeout         longest wait for Kafka's acknowledgement before answering 503
 * @param maxBlock            longest a send may wait for buffer space or metadata (producer max.block.ms)
 * @param bufferMemoryBytes   producer buffer; full means 503, never an unbounded queue
 * @param lingerMillis        producer linger.ms: batching delay traded for throughput
 * @param batchSizeBytes      producer batch.size
 * @param compression         producer compression.type
 * @param maxBatchEvents      most events in one POST
 * @param maxBodyBytes        largest request body
 * @param maxInFlightEvents   most events awaiting Kafka's acknowledgement at once; beyond it, 503
 * @param retryAfter          what Retry-After says on 503
 * @param rules               event validation rules (lateness horizon shared with the processor)
 * @param apiKeys             producer API keys and their tenants
 * @param defaultRatePerSecond events per second a tenant may send; 0 means unlimited
 * @param ratePerSecondByTenant per-tenant overrides of the default rate
 * @param serverIdTenants     tenants whose events may come without an id (the edge makes one); for everyone
 *                            else {@code id} is required, since a server-made id turns every retry into a new event
 */
public record IngestSettings(
        KafkaConnection kafka,
        int rawPartitions,
        Duration rawRetention,
        Duration sendTimeout,
        Duration maxBlock,
        long bufferMemoryBytes,
        int lingerMillis,
        int batchSizeBytes,
        String compression,
        int maxBatchEvents,
        int maxBodyBytes,
        int maxInFlightEvents,
        Duration retryAfter,
        EventRules rules,
        ApiKeys apiKeys,
        double defaultRatePerSecond,
        Map<String, Double> ratePerSecondByTenant,
        Set<String> serverIdTenants) {

    public IngestSettings {
        atLeast(ServiceConfig.RAW_PARTITIONS, rawPartitions, 1);
        if (rawRetention.isNegative() || rawRetention.isZero()) {
            throw new IllegalArgumentException("topics.raw-retention must be positive, was " + rawRetention);
        }
        atLeast("ingest.max-batch-events", maxBatchEvents, 1);
        atLeast("ingest.max-body-bytes", maxBodyBytes, 1024);
        atLeast("ingest.max-in-flight-events", maxInFlightEvents, maxBatchEvents);
        atLeast("ingest.producer.batch-size-bytes", batchSizeBytes, 1);
        if (bufferMemoryBytes < 1024 * 1024) {
            throw new IllegalArgumentException("ingest.producer.buffer-memory-bytes must be at least 1 MiB, was "
                    + bufferMemoryBytes);
        }
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("ingest.send-timeout must be positive, was " + sendTimeout);
        }
        if (defaultRatePerSecond < 0) {
            throw new IllegalArgumentException("ingest.rate-limits.default must be 0 (unlimited) or more, was "
                    + defaultRatePerSecond);
        }
        ratePerSecondByTenant = Map.copyOf(ratePerSecondByTenant);
        serverIdTenants = Set.copyOf(serverIdTenants);
    }

    private static void atLeast(final String key, final long value, final long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }

    /** The file of ingest-api's own defaults (see {@link ServiceConfig}). */
    public static final String DEFAULTS = "ingest-api.yaml";

    /** ingest-api's settings from its configuration ({@link ServiceConfig}); every key is required. */
    public static IngestSettings from(final Config config) {
        final Config ingest = config.get("ingest");
        final Config producer = ingest.get("producer");
        final Map<String, Double> byTenant = new HashMap<>();
        ingest.get("rate-limits.tenants").asNodeList().orElse(List.of())
                .forEach(node -> byTenant.put(node.name(), node.asDouble().get()));
        return new IngestSettings(
                KafkaConnection.from(config),
                config.get(ServiceConfig.RAW_PARTITIONS).asInt().get(),
                ServiceConfig.rawRetention(config),
                ingest.get("send-timeout").as(Duration.class).get(),
                producer.get("max-block").as(Duration.class).get(),
                producer.get("buffer-memory-bytes").asLong().get(),
                producer.get("linger-ms").asInt().get(),
                producer.get("batch-size-bytes").asInt().get(),
                producer.get("compression").asString().get(),
                ingest.get("max-batch-events").asInt().get(),
                ingest.get("max-body-bytes").asInt().get(),
                ingest.get("max-in-flight-events").asInt().get(),
                ingest.get("retry-after").as(Duration.class).get(),
                ServiceConfig.eventRules(config),
                ApiKeys.from(config.get("auth")),
                ingest.get("rate-limits.default").asDouble().get(),
                byTenant,
                Set.copyOf(ingest.get("server-generated-ids").asList(String.class).get()));
    }

    /** Whether the edge makes an id for this tenant's events that come without one (not safe to retry). */
    public boolean generatesIds(final String tenant) {
        return serverIdTenants.contains(tenant);
    }

    /** Events per second the tenant may send, 0 for unlimited. */
    public double ratePerSecond(final String tenant) {
        return ratePerSecondByTenant.getOrDefault(tenant, defaultRatePerSecond);
    }
}
