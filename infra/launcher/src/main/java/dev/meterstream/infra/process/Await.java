package dev.meterstream.infra.process;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline; the only way the launcher and its tests wait for anything. */
public final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /** Thrown by a condition that can never become true (the process it waits for died): ends the wait at once. */
    public static final class GaveUp extends RuntimeException {
        public GaveUp(final String message) {
            super(message);
        }
    }

    /** Polls {@code value} until it returns something other than null, and answers that; as {@link #until}. */
    public static <T> T untilValue(final String what, final Duration timeout, final Callable<T> value) {
        final Object[] found = new Object[1];
        until(what, timeout, () -> {
            found[0] = value.call();
            return found[0] != null;
        });
        @SuppressWarnings("unchecked")
        final T result = (T) found[0];
        return result;
    }

    /**
     * Polls {@code condition} until it returns true or {@code timeout} passes. A condition that throws counts
     * as not yet true (the last such failure is attached to the timeout exception), except {@link GaveUp}, which
     * ends the wait at once.
     */
    public static void until(final String what, final Duration timeout, final Callable<Boolean> condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (final GaveUp e) {
                throw e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (final Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : " (last failure: " + last + ")"), last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
