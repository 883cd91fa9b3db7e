package dev.meterstream.processor.sink;

import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.kafka.FetchWait;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * Everything the Cassandra sink reads from configuration, typed and checked in one place (keys under {@code sink.}
 * and {@code cassandra.}).
 *
 * @param enabled            whether stream-processor runs the sink
 * @param groupId            the sink's own consumer group on the canonical log and the aggregates topic
 * @param cassandra          where the views are
 * @param flushInterval      how long records are gathered before they are written (and then committed); longer
 *                           folds more updates of one aggregate into one row write
 * @param maxBufferedRecords a flush starts early once this many records are gathered
 * @param maxInFlight        Cassandra requests in flight at once
 * @param batchRows          rows per UNLOGGED batch
 * @param batchByReplicas    batch rows of different partitions together when the same replicas own them (fewer
 *                           requests; Cassandra's batch warning thresholds must allow it, see operations.md);
 *                           false batches only rows of one partition
 * @param attempts           tries of one request before the flush is given up and retried as a whole
 * @param retryBackoff       first wait between tries (doubled each time)
 * @param maxRetryBackoff    longest wait between tries, and between tries of a whole flush
 * @param progressInterval   how often the views' freshness is measured
 * @param fetchMinBytes      how much a fetch waits for (at most {@code fetchMaxWait})
 * @param fetchMaxWait       how long a fetch may wait for {@code fetchMinBytes} before returning what there is
 *                           (records are gathered for a flush anyway, so one fetch per append would be wasted work)
 * @param sessionTimeout     the sink consumer's session timeout: {@code processor.session-timeout}, the one the
 *                           processor's own consumers have, so that a dead instance's views wait no longer than its
 *                           tasks (with Kafka's default here, 45 s, a shorter processor timeout shortened nothing:
 *                           docs/benchmarks.md, "Session 23")
 */
public record SinkSettings(
        boolean enabled,
        String groupId,
        CqlConnection cassandra,
        Duration flushInterval,
        int maxBufferedRecords,
        int maxInFlight,
        int batchRows,
        boolean batchByReplicas,
        int attempts,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration progressInterval,
        int fetchMinBytes,
        Duration fetchMaxWait,
        Duration sessionTimeout) {

    public SinkSettings {
        atLeastOne("sink.max-buffered-records", maxBufferedRecords);
        atLeastOne("sink.max-in-flight", maxInFlight);
        atLeastOne("sink.batch-rows", batchRows);
        atLeastOne("sink.attempts", attempts);
        atLeastOne("sink.fetch-min-bytes", fetchMinBytes);
        FetchWait.checked("sink.fetch-max-wait", fetchMaxWait);
        if (!progressInterval.isPositive()) {
            throw new IllegalArgumentException("sink.progress-interval must be positive, was " + progressInterval);
        }
    }

    /** An error that names the key and the bad value, so the operator knows what to change. */
    private static void atLeastOne(final String key, final int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }

    public static SinkSettings from(final Config config) {
        final Config sink = config.get("sink");
        return new SinkSettings(
                sink.get("enabled").asBoolean().get(),
                sink.get("group-id").asString().get(),
                CqlConnection.from(config.get("cassandra")),
                sink.get("flush-interval").as(Duration.class).get(),
                sink.get("max-buffered-records").asInt().get(),
                sink.get("max-in-flight").asInt().get(),
                sink.get("batch-rows").asInt().get(),
                sink.get("batch-by-replicas").asBoolean().get(),
                sink.get("attempts").asInt().get(),
                sink.get("retry-backoff").as(Duration.class).get(),
                sink.get("max-retry-backoff").as(Duration.class).get(),
                sink.get("progress-interval").as(Duration.class).get(),
                sink.get("fetch-min-bytes").asInt().get(),
                sink.get("fetch-max-wait").as(Duration.class).get(),
                config.get("processor").get("session-timeout").as(Duration.class).get());
    }
}
