package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which failures of a Cassandra write may pass if it is tried again (a node down, slow, overloaded or starting; a
 * lost connection), and which will not (the server or the driver refuses the statement itself: an invalid value,
 * text the driver cannot encode, a schema mismatch). The sink waits out the first kind with the rows kept, and
 * dead-letters the records behind the second kind, so that one bad record cannot stop the views for good.
 */
final class WriteFailures {
    private static final List<Class<? extends Throwable>> PASSING = List.of(
            AllNodesFailedException.class, // NoNodeAvailableException among them
            DriverTimeoutException.class,
            ClosedConnectionException.class,
            HeartbeatException.class,
            BusyConnectionException.class,
            UnavailableException.class,
            QueryConsistencyException.class, // read and write timeouts and failures
            OverloadedException.class,
            BootstrappingException.class,
            ServerError.class,
            TruncateException.class,
            InterruptedException.class);

    private WriteFailures() {
    }

    static boolean mayPass(final Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (final Class<? extends Throwable> passing : PASSING) {
            if (passing.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, as {@code Type: message}, for logs and the health detail. */
    static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
