package dev.meterstream.processor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * What happens when a stream thread dies. It is replaced: its tasks' uncommitted work was aborted and the new
 * thread resumes from the last commit, so nothing is lost or counted twice. A record that fails in processing is
 * dead-lettered before it gets here ({@link dev.meterstream.processor.topology.DeadLetters}), so what remains is the unforeseen; if threads keep
 * dying ({@value #MAX_FAILURES} times within {@link #WINDOW}), replacing them is a loop, not a recovery: the
 * instance shuts down and the process is told to end, so its supervisor restarts it and an operator sees it.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    static final int MAX_FAILURES = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(ThreadFailures.class.getName());

    private final Runnable onGivingUp;
    private final Deque<Long> failures = new ArrayDeque<>();

    ThreadFailures(final Runnable onGivingUp) {
        this.onGivingUp = onGivingUp;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable error) {
        final long now = System.nanoTime();
        failures.addLast(now);
        while (now - failures.getFirst() > WINDOW.toNanos()) {
            failures.removeFirst();
        }
        if (failures.size() >= MAX_FAILURES) {
            LOG.log(Level.SEVERE, "stream threads failed " + failures.size() + " times within " + WINDOW
                    + "; shutting down", error);
            Thread.ofPlatform().name("processor-give-up").start(onGivingUp);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.log(Level.SEVERE, "stream thread failed; replacing it", error);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
