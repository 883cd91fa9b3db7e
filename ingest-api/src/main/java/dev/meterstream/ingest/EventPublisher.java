package dev.meterstream.ingest;

import dev.meterstream.event.UsageEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Hands events to durable storage. The future completes when the storage has acknowledged the event (and only
 * then may the edge answer 202), or exceptionally when it cannot take it.
 */
public interface EventPublisher extends AutoCloseable {
    CompletableFuture<Acknowledgement> publish(UsageEvent event);

    /** Whether the storage answered recently; when false the edge refuses at once instead of waiting. */
    boolean reachable();

    @Override
    void close();
}
