package dev.meterstream.processor;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Exports the Kafka Streams metrics an operator watches as Helidon gauges (so they appear at /observe/metrics):
 * processing rate and latency, commit latency, and consumer lag. Each is the sum (rates) or maximum (latency, lag)
 * over the instance's threads and partitions.
 */
final class StreamsMetricsExporter {
    private StreamsMetricsExporter() {
    }

    static void register(final KafkaStreams streams, final MeterRegistry registry) {
        gauge(registry, "processor.process.rate", "records processed per second",
                () -> sum(streams, "stream-thread-metrics", "process-rate"));
        gauge(registry, "processor.process.latency.avg.ms", "average time to process a record, ms",
                () -> max(streams, "stream-thread-metrics", "process-latency-avg"));
        gauge(registry, "processor.commit.latency.avg.ms", "average commit (transaction) latency, ms",
                () -> max(streams, "stream-thread-metrics", "commit-latency-avg"));
        gauge(registry, "processor.consumer.lag.max", "largest lag of any input partition, records",
                () -> max(streams, "consumer-fetch-manager-metrics", "records-lag-max"));
    }

    private static void gauge(final MeterRegistry registry, final String name, final String description,
                              final java.util.function.Supplier<Double> value) {
        registry.getOrCreate(Gauge.builder(name, value).description(description));
    }

    private static double sum(final KafkaStreams streams, final String group, final String name) {
        return fold(streams, group, name, Double::sum);
    }

    private static double max(final KafkaStreams streams, final String group, final String name) {
        return fold(streams, group, name, Math::max);
    }

    /** Folds every value of the named metric (one per thread or partition), starting from 0. */
    private static double fold(final KafkaStreams streams, final String group, final String name,
                               final DoubleBinaryOperator combine) {
        double result = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            if (matches(entry.getKey(), group, name)) {
                result = combine.applyAsDouble(result, value(entry.getValue()));
            }
        }
        return result;
    }

    private static boolean matches(final MetricName metric, final String group, final String name) {
        return metric.group().equals(group) && metric.name().equals(name);
    }

    private static double value(final Metric metric) {
        final Object value = metric.metricValue();
        return value instanceof Number number && Double.isFinite(number.doubleValue()) ? number.doubleValue() : 0;
    }
}
