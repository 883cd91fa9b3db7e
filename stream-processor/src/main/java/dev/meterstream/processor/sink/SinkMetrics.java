package dev.meterstream.processor.sink;

import dev.meterstream.support.observe.LatencyBuckets;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The sink's meters, served with the processor's at /observe/metrics. Every name is here. */
public final class SinkMetrics {
    static final String ROWS = "sink.rows.written";
    static final String WRITE_DURATION = "sink.write.duration";
    static final String BATCH_ROWS = "sink.batch.rows";
    static final String RETRIES = "sink.retries";
    static final String FLUSH_FAILURES = "sink.flush.failures";
    static final String FLUSH_DURATION = "sink.flush.duration";
    static final String DEAD_LETTERS = "sink.dead.letters";
    static final String LAG = "sink.lag.records";
    static final String FRESHNESS = "sink.views.staleness.seconds";

    private final MeterRegistry registry;
    private final Map<String, Counter> rowsByTable = new ConcurrentHashMap<>();
    private final Timer writeDuration;
    private final Timer flushDuration;
    private final DistributionSummary batchRows;
    private final Counter retries;
    private final Counter flushFailures;
    private final Counter deadLetters;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong completeThroughMillis = new AtomicLong();

    public SinkMetrics(final MeterRegistry registry) {
        this.registry = registry;
        writeDuration = registry.getOrCreate(Timer.builder(WRITE_DURATION)
                .description("latency of one Cassandra write (a row or a batch), retries included").buckets(LatencyBuckets.standard()));
        flushDuration = registry.getOrCreate(Timer.builder(FLUSH_DURATION)
                .description("time to write one flush of gathered records").buckets(LatencyBuckets.standard()));
        batchRows = registry.getOrCreate(DistributionSummary.builder(BATCH_ROWS)
                .description("rows per Cassandra write (1 for a single row)"));
        retries = registry.getOrCreate(Counter.builder(RETRIES)
                .description("Cassandra requests tried again after a timeout or an unavailable node"));
        flushFailures = registry.getOrCreate(Counter.builder(FLUSH_FAILURES)
                .description("flushes given up (Cassandra unreachable) and tried again as a whole"));
        deadLetters = registry.getOrCreate(Counter.builder(DEAD_LETTERS)
                .description("records of the log or the aggregates topic the views could not take (unreadable, or "
                        + "refused by Cassandra for good), sent to the dead-letter topic"));
        registry.getOrCreate(Gauge.builder(LAG, lag::get)
                .description("records of the log and the aggregates topic not yet written to Cassandra"));
        registry.getOrCreate(Gauge.builder(FRESHNESS, () -> completeThroughMillis.get() == 0 ? -1.0
                        : (System.currentTimeMillis() - completeThroughMillis.get()) / 1000.0)
                .description("seconds since the instant the views are complete through (-1 before the first)"));
    }

    void written(final String table, final int rows, final Duration took) {
        rowsByTable.computeIfAbsent(table, name -> registry.getOrCreate(Counter.builder(ROWS)
                .description("rows written to Cassandra by table").tags(List.of(Tag.create("table", name)))))
                .increment(rows);
        batchRows.record(rows);
        writeDuration.record(took);
    }

    void retry() {
        retries.increment();
    }

    void flushed(final Duration took) {
        flushDuration.record(took);
    }

    void flushFailed() {
        flushFailures.increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    void lag(final long records) {
        lag.set(records);
    }

    void completeThrough(final long epochMillis) {
        completeThroughMillis.set(epochMillis);
    }
}
