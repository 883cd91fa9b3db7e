package dev.meterstream.support.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;

/**
 * Sends a {@link Problem} as the answer to a request, the one way both APIs refuse: the status, the problem as
 * {@code application/problem+json}, {@code Retry-After} in whole seconds rounded up (never 0, which clients read as
 * "retry at once"), and {@code WWW-Authenticate: Bearer} with a 401 as RFC 9110 asks.
 */
public final class ProblemResponses {
    private ProblemResponses() {
    }

    /** Sends the problem of {@code refusal}; returns the status sent. */
    public static int send(final ServerResponse response, final ProblemException refusal) {
        return send(response, refusal.problem(), refusal.retryAfter());
    }

    /** Sends {@code problem}, with {@code Retry-After} if {@code retryAfter} is not null; returns the status sent. */
    public static int send(final ServerResponse response, final Problem problem, final Duration retryAfter) {
        response.status(Status.create(problem.status())).header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        if (problem.status() == 401) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        response.send(problem.toJson());
        return problem.status();
    }

    /** Whole seconds, rounded up, at least 1. */
    static long retryAfterSeconds(final Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
