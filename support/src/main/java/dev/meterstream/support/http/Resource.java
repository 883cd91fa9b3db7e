package dev.meterstream.support.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One path's routes, with the answer for every other method: 405 with {@code Allow}, as a problem (RFC 9110
 * 15.5.6), and 204 with {@code Allow} for {@code OPTIONS}. Helidon routes by method and path together, so without
 * this a wrong method looks like a path that does not exist.
 */
public final class Resource {
    private Resource() {
    }

    /** A method and what answers it. */
    public record Route(Method method, Handler handler) {
    }

    public static Route get(final Handler handler) {
        return new Route(Method.GET, handler);
    }

    public static Route post(final Handler handler) {
        return new Route(Method.POST, handler);
    }

    public static Route put(final Handler handler) {
        return new Route(Method.PUT, handler);
    }

    public static Route delete(final Handler handler) {
        return new Route(Method.DELETE, handler);
    }

    /** Routes {@code path}'s methods, then every other method of it to 405 (or 204 for OPTIONS). */
    public static void route(final HttpRules rules, final String path, final Route... routes) {
        for (final Route route : routes) {
            rules.route(route.method(), path, route.handler());
        }
        final String allow = Arrays.stream(routes).map(route -> route.method().text()).collect(Collectors.joining(
                ", "));
        rules.any(path, (request, response) -> {
            response.header(HeaderNames.ALLOW, allow);
            if (request.prologue().method() == Method.OPTIONS) {
                response.status(Status.NO_CONTENT_204).send();
                return;
            }
            ProblemResponses.send(response, Problem.of(405, "method-not-allowed", "Method not allowed",
                    request.prologue().method().text() + " is not an operation of " + request.path().path()
                            + "; allowed: " + allow), null);
        });
    }
}
