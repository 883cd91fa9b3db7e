package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import dev.meterstream.support.cassandra.CqlSchema;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The sink's Cassandra session: opened, with the schema applied, trying again with backoff while Cassandra cannot
 * be reached, so that the sink can start before Cassandra does. A schema Cassandra refuses, or a released
 * migration edited since, fails at once: waiting does not fix either.
 */
final class SinkSession {
    private static final Logger LOG = Logger.getLogger(SinkSession.class.getName());

    private SinkSession() {
    }

    /**
     * The open session, or null if {@code closed} was counted down meanwhile.
     *
     * @param status told what is happening, for the sink's health detail
     */
    static CqlSession open(final SinkSettings settings, final CountDownLatch closed, final Consumer<String> status) {
        long backoff = settings.retryBackoff().toMillis();
        while (closed.getCount() > 0) {
            CqlSession session = null;
            try {
                session = settings.cassandra().open();
                CqlSchema.apply(session, settings.cassandra().keyspace());
                return session;
            } catch (final QueryValidationException | IllegalStateException e) {
                closeQuietly(session);
                throw e;
            } catch (final DriverException e) {
                closeQuietly(session);
                status.accept("connecting to Cassandra: " + WriteFailures.rootMessage(e));
                LOG.warning("cannot reach Cassandra (" + WriteFailures.rootMessage(e) + "); trying again");
                try {
                    closed.await(backoff, TimeUnit.MILLISECONDS);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                backoff = Math.min(backoff * 2, settings.maxRetryBackoff().toMillis());
            }
        }
        return null;
    }

    private static void closeQuietly(final CqlSession session) {
        if (session != null) {
            session.close();
        }
    }
}
