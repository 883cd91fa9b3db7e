package dev.meterstream.query;

import dev.meterstream.support.observe.LatencyBuckets;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** query-api's meters, served in Prometheus format at /observe/metrics. Every name is here. */
final class QueryMetrics {
    static final String REQUESTS = "query.requests";
    static final String REQUEST_DURATION = "query.request.duration";
    static final String CASSANDRA_ERRORS = "query.cassandra.errors";
    /** The endpoint label of requests refused before routing, for want of a known key. */
    static final String UNAUTHENTICATED = "unauthenticated";
    /** The endpoint label of requests refused before routing, their tenant being over its rate. */
    static final String RATE_LIMITED = "rate-limited";

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    void request(final String endpoint, final int status, final long startedNanos) {
        durations.computeIfAbsent(endpoint, name -> registry.getOrCreate(Timer.builder(REQUEST_DURATION)
                        .description("query latency by endpoint, from request to answer").buckets(LatencyBuckets.standard())
                        .tags(List.of(Tag.create("endpoint", name)))))
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
        requests.computeIfAbsent(endpoint + " " + status, key -> registry.getOrCreate(Counter.builder(REQUESTS)
                .description("requests by endpoint and response status")
                .tags(List.of(Tag.create("endpoint", endpoint), Tag.create("status", Integer.toString(status))))))
                .increment();
    }

    void cassandraError(final String endpoint) {
        errors.computeIfAbsent(endpoint, name -> registry.getOrCreate(Counter.builder(CASSANDRA_ERRORS)
                .description("queries Cassandra failed, by endpoint").tags(List.of(Tag.create("endpoint", name)))))
                .increment();
    }
}
