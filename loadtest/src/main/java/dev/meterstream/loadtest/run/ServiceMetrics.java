package dev.meterstream.loadtest.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A service's metrics page (Prometheus' text format, {@code /observe/metrics}) as the runner reads it: under the
 * names Prometheus scrapes, so that a run's report and a cluster's rules and board read the same numbers.
 */
final class ServiceMetrics {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ServiceMetrics() {
    }

    /** The page of the service at {@code url}, or empty if it does not answer (a killed instance, say). */
    static Optional<String> page(final String url) {
        try {
            final HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create(url + "/observe/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (final IOException | RuntimeException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The sum of a metric's samples, those whose labels contain {@code labelPart} if given. */
    static double sum(final String page, final String name, final String labelPart) {
        return page.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labelPart == null || line.contains(labelPart))
                .mapToDouble(ServiceMetrics::value).sum();
    }

    /** The largest of a metric's samples that is not negative (a gauge's -1 is "not measured"), if any. */
    static OptionalDouble max(final String page, final String name) {
        return page.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(ServiceMetrics::value).filter(value -> value >= 0).max();
    }

    private static double value(final String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
