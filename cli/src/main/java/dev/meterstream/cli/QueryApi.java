package dev.meterstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * query-api as the command calls it: one request with the key, the answer's body, and a refusal (an RFC 9457 problem)
 * turned into a {@link Refused} that says what the server said.
 */
final class QueryApi {
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String key;

    QueryApi(final String baseUrl, final String key) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
    }

    /** The body of a 2xx answer to {@code method path}; {@link Refused} otherwise. */
    String call(final String method, final String path, final String accept, final String body)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        final HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw Refused.from(answer.statusCode(), answer.body());
        }
        return answer.body();
    }

    JsonNode json(final String method, final String path, final String body) throws IOException,
            InterruptedException {
        return JSON.readTree(call(method, path, "application/json", body));
    }

    /** The server refused: its status and, from its problem, title, detail and errors. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(final String message) {
            super(message);
        }

        static Refused from(final int status, final String body) {
            final StringBuilder said = new StringBuilder("the server answered " + status);
            try {
                final JsonNode problem = JSON.readTree(body);
                if (problem != null && problem.has("title")) {
                    said.append(" ").append(problem.get("title").asText());
                    if (problem.hasNonNull("detail")) {
                        said.append(": ").append(problem.get("detail").asText());
                    }
                    problem.path("errors").forEach(error -> said.append("\n  ").append(error.path("field").asText())
                            .append(": ").append(error.path("detail").asText()));
                }
            } catch (final IOException e) {
                said.append(": ").append(body);
            }
            return new Refused(said.toString());
        }
    }
}
