package dev.meterstream.ingest;

import dev.meterstream.support.observe.LatencyBuckets;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** ingest-api's meters, served in Prometheus format at /observe/metrics. Every name is here. */
final class IngestMetrics {
    static final String REQUESTS = "ingest.requests";
    static final String REQUEST_DURATION = "ingest.request.duration";
    static final String EVENTS = "ingest.events";
    static final String SEND_DURATION = "ingest.kafka.send.duration";
    static final String BUFFER_AVAILABLE = "ingest.kafka.buffer.available.bytes";
    static final String IN_FLIGHT = "ingest.in.flight.events";

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
    private final Timer requestDuration = registry.getOrCreate(Timer.builder(REQUEST_DURATION)
            .description("POST /api/usages latency, from request to response").buckets(LatencyBuckets.standard()));
    private final Timer sendDuration = registry.getOrCreate(Timer.builder(SEND_DURATION)
            .description("Kafka acknowledgement latency per request").buckets(LatencyBuckets.standard()));
    private final Counter accepted = events("accepted");
    private final Counter rejected = events("rejected");

    IngestMetrics(final Supplier<Double> bufferAvailableBytes, final Supplier<Integer> inFlightEvents) {
        registry.getOrCreate(Gauge.builder(BUFFER_AVAILABLE, bufferAvailableBytes)
                .description("free bytes in the Kafka producer's buffer"));
        registry.getOrCreate(Gauge.builder(IN_FLIGHT, inFlightEvents)
                .description("events sent to Kafka and not yet acknowledged"));
    }

    private Counter events(final String outcome) {
        return registry.getOrCreate(Counter.builder(EVENTS).description("events by outcome")
                .tags(List.of(Tag.create("outcome", outcome))));
    }

    void request(final int status, final long startedNanos) {
        requestsByStatus.computeIfAbsent(status, code -> registry.getOrCreate(Counter.builder(REQUESTS)
                .description("POST /api/usages requests by response status")
                .tags(List.of(Tag.create("status", Integer.toString(code)))))).increment();
        requestDuration.record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    void sent(final long startedNanos) {
        sendDuration.record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    void accepted(final int count) {
        accepted.increment(count);
    }

    void rejected(final int count) {
        rejected.increment(count);
    }
}
