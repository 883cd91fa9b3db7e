package dev.meterstream.support.http;

import java.time.Duration;

/** Ends an HTTP request with a problem response; {@code retryAfter} is set for 429 and 503. */
public final class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(final Problem problem) {
        this(problem, null);
    }

    public ProblemException(final Problem problem, final Duration retryAfter) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
