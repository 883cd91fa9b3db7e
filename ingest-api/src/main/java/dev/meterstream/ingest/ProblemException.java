package dev.meterstream.ingest;

import dev.meterstream.problem.Problem;
import java.time.Duration;

/** Ends a request with a problem response; {@code retryAfter} is set for 429 and 503. */
final class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Duration retryAfter;

    ProblemException(final Problem problem) {
        this(problem, null);
    }

    ProblemException(final Problem problem, final Duration retryAfter) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    Problem problem() {
        return problem;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
