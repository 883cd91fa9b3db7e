package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reads of the views that one answer may make: at most {@code query.max-reads} Cassandra requests (each page of
 * a paged read is one), all before the answer's deadline ({@code query.deadline}). Every query of an answer goes
 * through its instance, so no request, however it is shaped or whatever cursor it carries, makes unbounded work:
 * past the bound the answer is a 400 that says to ask for less, past the deadline a 503. Each read's own timeout is
 * what is left of the deadline (or the session's, if shorter).
 *
 * <p>Pages are followed on the driver's threads, so the count is atomic.
 */
final class ViewReads {
    /** Problem types; their one home. */
    static final String TOO_MANY_READS = "too-many-reads";
    static final String DEADLINE = "query-deadline";

    private final CqlSession session;
    private final int maxReads;
    private final Duration deadline;
    private final Duration requestTimeout;
    private final long deadlineNanos;
    private final AtomicInteger reads = new AtomicInteger();

    ViewReads(final CqlSession session, final QueryLimits limits, final Duration requestTimeout) {
        this.session = session;
        this.maxReads = limits.maxReads();
        this.deadline = limits.deadline();
        this.requestTimeout = requestTimeout;
        this.deadlineNanos = System.nanoTime() + limits.deadline().toNanos();
    }

    ResultSet execute(final BoundStatement statement) {
        return session.execute(bounded(statement));
    }

    /** Every row of a read, following its pages asynchronously; each page counts as a read. */
    CompletionStage<List<Row>> all(final BoundStatement statement) {
        return session.executeAsync(bounded(statement)).thenCompose(page -> collect(page, new ArrayList<>()));
    }

    /** How many reads this answer has made. */
    int made() {
        return reads.get();
    }

    /** Whether the deadline has passed (a read that then failed failed because of it). */
    boolean expired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** The answer when the deadline has passed. */
    ProblemException deadlinePassed() {
        return new ProblemException(Problem.of(503, DEADLINE, "Query deadline passed",
                "the answer was not read within " + deadline + " (query.deadline): ask for a shorter range, larger "
                        + "windows or fewer subjects, or try again when the views are less busy"),
                // Like every 503 of either API: a client may ask again, and is told when.
                Duration.ofSeconds(1));
    }

    private CompletionStage<List<Row>> collect(final AsyncResultSet page, final List<Row> rows) {
        page.currentPage().forEach(rows::add);
        if (!page.hasMorePages()) {
            return CompletableFuture.completedFuture(rows);
        }
        spend();
        return page.fetchNextPage().thenCompose(next -> collect(next, rows));
    }

    private BoundStatement bounded(final BoundStatement statement) {
        spend();
        final long left = deadlineNanos - System.nanoTime();
        return statement.setTimeout(left < requestTimeout.toNanos() ? Duration.ofNanos(left) : requestTimeout);
    }

    private void spend() {
        if (reads.incrementAndGet() > maxReads) {
            throw new ProblemException(Problem.of(400, TOO_MANY_READS, "Too many reads",
                    "this answer needs more than " + maxReads + " reads of the views (query.max-reads): ask for a "
                            + "shorter range, larger windows, fewer subjects or a smaller limit"));
        }
        if (expired()) {
            throw deadlinePassed();
        }
    }
}
