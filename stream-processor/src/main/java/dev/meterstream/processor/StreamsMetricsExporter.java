package dev.meterstream.processor;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Exports the Kafka Streams metrics an operator watches as Helidon gauges (so they appear at /observe/metrics):
 * processing rate and latency, commit latency, and consumer lag. Each is the sum (rates) or maximum (latency, lag)
 * over the instance's threads and partitions.
 *
 * <p>{@link KafkaStreams#metrics()} copies every metric of every client of every thread into a new map (a few
 * thousand with 24 tasks), so the gauges share one pass over one copy per scrape: read once for each gauge, that
 * was a sixteenth of the processor's CPU at 1,000 events/s with the load runs' scrape every second
 * (docs/benchmarks.md, "Session 32").
 */
final class StreamsMetricsExporter {
    /** A scrape reads the four gauges within milliseconds; the next scrape (a second or more later) reads anew. */
    static final Duration MAX_AGE = Duration.ofMillis(500);

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final Clock clock;
    private Reading reading;

    /** One pass's values. */
    record Reading(Instant at, double processRate, double processLatency, double commitLatency, double lagMax) {
    }

    StreamsMetricsExporter(final Supplier<Map<MetricName, ? extends Metric>> metrics, final Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    static void register(final KafkaStreams streams, final MeterRegistry registry) {
        final StreamsMetricsExporter exporter = new StreamsMetricsExporter(streams::metrics, Clock.systemUTC());
        exporter.gauge(registry, "processor.process.rate", "records processed per second", Reading::processRate);
        exporter.gauge(registry, "processor.process.latency.avg.ms", "average time to process a record, ms",
                Reading::processLatency);
        exporter.gauge(registry, "processor.commit.latency.avg.ms", "average commit (transaction) latency, ms",
                Reading::commitLatency);
        exporter.gauge(registry, "processor.consumer.lag.max", "largest lag of any input partition, records",
                Reading::lagMax);
    }

    private void gauge(final MeterRegistry registry, final String name, final String description,
                       final ToDoubleFunction<Reading> value) {
        registry.getOrCreate(Gauge.builder(name, () -> value.applyAsDouble(current())).description(description));
    }

    /** The last pass's values, or a new pass's once they are older than {@link #MAX_AGE}. */
    synchronized Reading current() {
        final Instant now = clock.instant();
        if (reading == null || reading.at().plus(MAX_AGE).isBefore(now)) {
            reading = read(now);
        }
        return reading;
    }

    /** Folds every value of each metric (one per thread or partition), starting from 0. */
    private Reading read(final Instant now) {
        double processRate = 0;
        double processLatency = 0;
        double commitLatency = 0;
        double lagMax = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : metrics.get().entrySet()) {
            final MetricName metric = entry.getKey();
            if (metric.group().equals("stream-thread-metrics")) {
                switch (metric.name()) {
                    case "process-rate" -> processRate += value(entry.getValue());
                    case "process-latency-avg" -> processLatency = Math.max(processLatency, value(entry.getValue()));
                    case "commit-latency-avg" -> commitLatency = Math.max(commitLatency, value(entry.getValue()));
                    default -> { }
                }
            } else if (metric.group().equals("consumer-fetch-manager-metrics")
                    && metric.name().equals("records-lag-max")) {
                lagMax = Math.max(lagMax, value(entry.getValue()));
            }
        }
        return new Reading(now, processRate, processLatency, commitLatency, lagMax);
    }

    private static double value(final Metric metric) {
        final Object value = metric.metricValue();
        return value instanceof Number number && Double.isFinite(number.doubleValue()) ? number.doubleValue() : 0;
    }
}
