package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** The exported Kafka Streams gauges: summed or maxed over threads and partitions, one pass a scrape. */
class StreamsMetricsExporterTest {
    @Test
    void shouldFoldEachGaugeOverTheThreadsAndReadTheMetricsOncePerScrape() {
        final Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        put(metrics, "stream-thread-metrics", "process-rate", "t1", 300.0);
        put(metrics, "stream-thread-metrics", "process-rate", "t2", 200.0);
        put(metrics, "stream-thread-metrics", "process-latency-avg", "t1", 0.5);
        put(metrics, "stream-thread-metrics", "process-latency-avg", "t2", 0.25);
        put(metrics, "stream-thread-metrics", "commit-latency-avg", "t1", 12.0);
        put(metrics, "stream-thread-metrics", "commit-latency-avg", "t2", Double.NaN);
        put(metrics, "consumer-fetch-manager-metrics", "records-lag-max", "t1", 40.0);
        put(metrics, "consumer-fetch-manager-metrics", "records-lag-max", "t2", 7.0);
        put(metrics, "producer-metrics", "process-rate", "t1", 1000.0);
        final AtomicInteger passes = new AtomicInteger();
        final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));
        final StreamsMetricsExporter exporter = new StreamsMetricsExporter(() -> {
            passes.incrementAndGet();
            return metrics;
        }, clock);

        final StreamsMetricsExporter.Reading first = exporter.current();
        assertEquals(500.0, first.processRate(), "rates are summed; another group's metric of that name is not");
        assertEquals(0.5, first.processLatency(), "latencies are the worst thread's");
        assertEquals(12.0, first.commitLatency(), "a thread with no value yet counts as 0");
        assertEquals(40.0, first.lagMax());

        put(metrics, "stream-thread-metrics", "process-rate", "t2", 900.0);
        clock.advance(StreamsMetricsExporter.MAX_AGE);
        assertEquals(500.0, exporter.current().processRate(), "the gauges of one scrape share one pass");
        assertEquals(1, passes.get());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1200.0, exporter.current().processRate(), "the next scrape reads anew");
        assertEquals(2, passes.get());
    }

    private static void put(final Map<MetricName, Metric> metrics, final String group, final String name,
                            final String thread, final double value) {
        final MetricName metricName = new MetricName(name, group, "", Map.of("thread-id", thread));
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
