package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends statements asynchronously with a bound on requests in flight, and tries a failed one again with backoff
 * when the failure may pass (a timeout, an unavailable or overloaded node, a lost connection). A statement the
 * server rejects as invalid is not tried again. Every statement sent must be idempotent, which is what makes
 * trying again safe.
 */
final class CassandraRequests implements AutoCloseable {
    private final CqlSession session;
    private final Semaphore inFlight;
    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final SinkMetrics metrics;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "sink-retries");
        thread.setDaemon(true);
        return thread;
    });

    CassandraRequests(final CqlSession session, final SinkSettings settings, final SinkMetrics metrics) {
        this.session = session;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.attempts = settings.attempts();
        this.backoff = settings.retryBackoff();
        this.maxBackoff = settings.maxRetryBackoff();
        this.metrics = metrics;
    }

    /** Waits for room, then sends; the result completes when the statement succeeded or was given up. */
    CompletableFuture<AsyncResultSet> send(final Statement<?> statement, final String table, final int rows) {
        try {
            inFlight.acquire();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        final CompletableFuture<AsyncResultSet> result = new CompletableFuture<>();
        attempt(statement.setIdempotent(true), table, rows, 1, System.nanoTime(), result);
        return result.whenComplete((ignored, error) -> inFlight.release());
    }

    private void attempt(final Statement<?> statement, final String table, final int rows, final int attempt,
                         final long startedNanos, final CompletableFuture<AsyncResultSet> result) {
        session.executeAsync(statement).whenComplete((resultSet, error) -> {
            if (error == null) {
                metrics.written(table, rows, Duration.ofNanos(System.nanoTime() - startedNanos));
                result.complete(resultSet);
            } else if (attempt < attempts && WriteFailures.mayPass(error)) {
                metrics.retry();
                final long wait = Math.min(maxBackoff.toMillis(), backoff.toMillis() << (attempt - 1));
                retries.schedule(() -> attempt(statement, table, rows, attempt + 1, startedNanos, result),
                        wait, TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(error);
            }
        });
    }


    /** Waits for all; throws the first failure once all have finished (so nothing is left in flight). */
    static <T> List<T> awaitAll(final List<CompletableFuture<T>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
        final List<T> results = new ArrayList<>(futures.size());
        for (final CompletableFuture<T> future : futures) {
            results.add(future.join());
        }
        return results;
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
