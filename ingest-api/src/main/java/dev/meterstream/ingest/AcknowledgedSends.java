package dev.meterstream.ingest;

import dev.meterstream.event.UsageEvent;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.BufferExhaustedException;

/**
 * Publishes a request's valid events and waits until Kafka has acknowledged every one (acks=all), within
 * {@code send-timeout}; otherwise refuses with a 503 that tells the client to retry with the same ids. A bound on
 * events awaiting acknowledgement refuses at once, rather than queueing, when Kafka is slower than the clients.
 */
final class AcknowledgedSends {
    private final EventPublisher publisher;
    private final Semaphore inFlight;
    private final Duration sendTimeout;
    private final Duration retryAfter;
    private final IngestMetrics metrics;

    AcknowledgedSends(final EventPublisher publisher, final Semaphore inFlight, final Duration sendTimeout,
                      final Duration retryAfter, final IngestMetrics metrics) {
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.sendTimeout = sendTimeout;
        this.retryAfter = retryAfter;
        this.metrics = metrics;
    }

    /** The acknowledgement of each event, in order; throws a 503 problem if any was not acknowledged in time. */
    List<Acknowledgement> publish(final List<UsageEvent> events) {
        if (!publisher.reachable()) {
            throw unavailable("kafka-unavailable", "Kafka is unreachable; nothing was accepted");
        }
        if (!inFlight.tryAcquire(events.size())) {
            throw unavailable("overloaded", "too many events are awaiting Kafka's acknowledgement; nothing was accepted");
        }
        final long started = System.nanoTime();
        final List<CompletableFuture<Acknowledgement>> sends = new ArrayList<>(events.size());
        for (final UsageEvent event : events) {
            sends.add(publisher.publish(event).whenComplete((ack, error) -> inFlight.release()));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            throw unavailable("kafka-timeout", "Kafka did not acknowledge within " + sendTimeout.toMillis()
                    + " ms; retry with the same event ids");
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof BufferExhaustedException) {
                throw unavailable("overloaded", "the producer buffer is full; nothing needs to be assumed accepted");
            }
            throw unavailable("kafka-unavailable", "Kafka refused the events (" + e.getCause().getClass().getSimpleName()
                    + "); retry with the same event ids");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("shutting-down", "the server is stopping");
        }
        metrics.sent(started);
        return sends.stream().map(CompletableFuture::join).toList();
    }

    private ProblemException unavailable(final String kind, final String detail) {
        return new ProblemException(Problem.of(503, kind, "Service unavailable", detail), retryAfter);
    }

}
