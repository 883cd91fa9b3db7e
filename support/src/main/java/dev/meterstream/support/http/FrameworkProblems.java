package dev.meterstream.support.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Locale;

/**
 * The answers Helidon gives by itself, before or instead of a route (a malformed request line or header, an
 * unsupported {@code Content-Encoding}, a body over {@code max-payload-size}, a path no route serves, an error no
 * handler caught), sent as RFC 9457 problems like every other refusal of either API. Helidon's own answers are plain
 * text or empty, which a client that reads {@code application/problem+json} cannot parse.
 */
public final class FrameworkProblems implements DirectHandler {
    private static final FrameworkProblems INSTANCE = new FrameworkProblems();

    private FrameworkProblems() {
    }

    /**
     * Makes {@code builder}'s server answer its own refusals as problems. Helidon then includes the messages it marks
     * safe to show (those that do not echo the request), which say what was wrong better than a status alone.
     */
    public static void install(final WebServerConfig.Builder builder) {
        final DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (final EventType type : EventType.values()) {
            handlers.addHandler(type, INSTANCE);
        }
        builder.directHandlers(handlers.build())
                .errorHandling(ErrorHandling.builder().includeEntity(true).build());
    }

    @Override
    public TransportResponse handle(final TransportRequest request, final EventType eventType,
                                    final Status defaultStatus, final ServerResponseHeaders responseHeaders,
                                    final String message) {
        final Problem problem = problem(request, defaultStatus, message);
        final TransportResponse.Builder response = TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .keepAlive(eventType.keepAlive());
        if (problem.status() == 415) {
            response.header(HeaderNames.ACCEPT_ENCODING, RequestDecoding.ACCEPTED);
        }
        return response.entity(problem.toJson()).build();
    }

    static Problem problem(final TransportRequest request, final Status status, final String message) {
        final String encoding = request.headers().first(HeaderNames.CONTENT_ENCODING).orElse(null);
        if (status.code() == 400 && encoding != null && !RequestDecoding.decodes(encoding)) {
            return Problem.of(415, "unsupported-content-encoding", "Unsupported content encoding",
                    "Content-Encoding '" + encoding + "' is not supported; send " + RequestDecoding.ACCEPTED);
        }
        final String detail = message == null || message.isBlank() ? null : message;
        return switch (status.code()) {
            case 400 -> Problem.of(400, "bad-request", "Bad request",
                    detail == null ? "the request is not well-formed HTTP" : detail);
            case 404 -> Problem.of(404, "not-found", "Not found", "no resource answers " + request.method() + " "
                    + request.path());
            case 413 -> Problem.of(413, "body-too-large", "Body too large",
                    detail == null ? "the body is larger than this server takes" : detail);
            case 500 -> Problem.of(500, "internal-error", "Internal error",
                    "the server failed to answer; the request may be retried");
            default -> Problem.of(status.code(), kind(status), status.reasonPhrase(), detail);
        };
    }

    /** {@code "HTTP Version Not Supported"} as {@code "http-version-not-supported"}. */
    private static String kind(final Status status) {
        return status.reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
