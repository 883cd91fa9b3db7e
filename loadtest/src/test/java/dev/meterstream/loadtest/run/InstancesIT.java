package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterstream.infra.dev.ConfigOverrides;
import dev.meterstream.infra.dev.DevStack;
import dev.meterstream.infra.dev.StackLayout;
import dev.meterstream.infra.observe.Prometheus;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.support.auth.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest-api instances behind HAProxy and two stream-processor instances in one Kafka Streams application:
 * one of each is killed (SIGKILL) while a producer sends, retrying what was not acknowledged with the same id as
 * the README tells producers to, and sending again the events it sent before the crash. Every event is counted
 * exactly once: the killed processor's tasks move to the survivor, which takes over their exactly-once and dedupe
 * state, and the proxy takes the dead edge out of rotation. The stack runs with {@code --observe}: Prometheus
 * shows the fault, and every exporter's numbers.
 */
class InstancesIT {
    private static final Path ROOT = Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 200;
    private static final int KILL_AFTER = 60;
    private static final Duration SEND_DEADLINE = Duration.ofSeconds(60);
    /** Past a consumer session timeout (45 s) for the survivor to take the dead instance's tasks, with margin. */
    private static final Duration VIEWS_DEADLINE = Duration.ofSeconds(240);
    /** A few scrape and evaluation intervals (5 s each). */
    private static final Duration PROMETHEUS_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldCountEveryAcknowledgedEventOnceWhenAnEdgeAndAProcessorInstanceAreKilled(
            // kept when the test fails: the services' logs are in it
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) final Path workDir)
            throws Exception {
        final String ingestKey = ApiKeys.generateKey();
        final String queryKey = ApiKeys.generateKey();
        final StackLayout layout = new StackLayout(workDir.resolve("data"), 1, true,
                Files.writeString(workDir.resolve("ingest-keys"), ApiKeys.sha256(ingestKey) + " acme\n"),
                Files.writeString(workDir.resolve("query-keys"), ApiKeys.sha256(queryKey) + " acme\n"),
                Files.writeString(workDir.resolve("admin-keys"), ""), ConfigOverrides.NONE, Optional.empty())
                .withInstances(2).observed();
        // One hour window for every event, whatever the clock does during the test.
        final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        try (DevStack stack = new DevStack(ROOT, layout, System.out)) {
            stack.start();
            final List<JavaProcess> edges = stack.instances("ingest-api");
            final List<JavaProcess> processors = stack.instances("stream-processor");
            assertEquals(2, edges.size());
            assertEquals(2, processors.size());
            final String ingest = stack.url("ingest-api");
            int retried = 0;
            for (int i = 0; i < EVENTS; i++) {
                if (i == KILL_AFTER) {
                    edges.get(0).kill();
                    processors.get(1).kill();
                }
                retried += sendUntilAcknowledged(ingest, ingestKey, i, hour.plusSeconds(i));
            }
            // A producer that lost every answer from before the crash sends those events again: the survivor must
            // know them from the dead instance's dedupe state (its in-memory tier starts empty).
            for (int i = 0; i < KILL_AFTER; i++) {
                retried += sendUntilAcknowledged(ingest, ingestKey, i, hour.plusSeconds(i));
            }
            final Instant lastAcknowledged = Instant.now();
            System.out.println("all " + EVENTS + " acknowledged, " + KILL_AFTER + " of them twice; " + retried
                    + " sends retried");

            final String query = stack.url("query-api") + "/api/meters/instances.calls/usage?window=HOUR&from="
                    + hour + "&to=" + hour.plus(Duration.ofHours(1));
            final Instant killed = Instant.now();
            // The views are final once complete through a time after the last acknowledgement.
            final JsonNode answer = Await.untilValue("the views complete past the last acknowledged event",
                    VIEWS_DEADLINE, () -> {
                        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(query))
                                .header("Authorization", "Bearer " + queryKey).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            return null;
                        }
                        final JsonNode body = JSON.readTree(response.body());
                        return Instant.parse(body.get("completeThrough").textValue()).isAfter(lastAcknowledged)
                                ? body : null;
                    });
            System.out.println("views complete " + Duration.between(killed, Instant.now()).toMillis()
                    + " ms after the last acknowledgement");
            assertEquals(1, answer.get("points").size(), answer.toString());
            assertEquals(EVENTS, answer.get("points").get(0).get("count").asInt(), answer.toString());
            assertEquals(EVENTS * 2, answer.get("points").get(0).get("sum").asInt(), answer.toString());
            assertTrue(processors.get(0).isAlive() && edges.get(1).isAlive(), "a survivor died");
            observedTheFault(stack.prometheus().orElseThrow());
        }
    }

    /**
     * Prometheus (the stack runs with --observe) scraped every process, and shows the fault: the killed edge and
     * processor down, everything else up, each exporter's own numbers there (the services', the brokers' and
     * Cassandra's through the JMX exporter, HAProxy's), and the rules evaluated.
     */
    private static void observedTheFault(final Prometheus prometheus) {
        // 2 edges, 2 processors, query-api, HAProxy, the broker, Cassandra, Prometheus itself; two of them killed
        awaitValue(prometheus, "count(up == 1)", value -> value == 7);
        awaitValue(prometheus, "count(up{job=~\"ingest-api|stream-processor\"} == 0)", value -> value == 2);
        awaitValue(prometheus, "sum(kafka_server_brokertopicmetrics_messagesin_total)", value -> value >= EVENTS);
        awaitValue(prometheus, "sum(cassandra_client_requests_total{operation=\"Write\"})", value -> value > 0);
        awaitValue(prometheus, "sum(haproxy_backend_http_responses_total{code=\"2xx\"})", value -> value >= 1);
        awaitValue(prometheus, "meterstream:views_behind_seconds", value -> value >= 0);
    }

    /** Waits until the instant query's single value meets the condition. */
    private static void awaitValue(final Prometheus prometheus, final String query,
                                   final java.util.function.DoublePredicate condition) {
        final String[] last = {"no answer"};
        try {
            Await.until("Prometheus: " + query, PROMETHEUS_DEADLINE, () -> {
                final java.util.Optional<String> answer = prometheus.query(query);
                if (answer.isEmpty()) {
                    return false;
                }
                last[0] = answer.get();
                final JsonNode result = JSON.readTree(answer.get()).get("data").get("result");
                return result.size() == 1 && condition.test(result.get(0).get("value").get(1).asDouble());
            });
        } catch (final IllegalStateException e) {
            throw new AssertionError(query + " did not reach its value; Prometheus answered " + last[0], e);
        }
    }

    /** Sends event {@code i} until it is acknowledged, as a producer should; returns how many sends were retried. */
    private int sendUntilAcknowledged(final String ingest, final String key, final int i, final Instant at)
            throws Exception {
        final String body = JSON.createObjectNode().put("id", "instances-" + i).put("subject", "s-" + (i % 7))
                .put("meter", "instances.calls").put("quantity", 2).put("timestamp", at.toString()).toString();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(ingest + "/api/usages"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        final int[] retries = {-1};
        Await.until("event " + i + " acknowledged", SEND_DEADLINE, () -> {
            retries[0]++;
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 202;
            } catch (final IOException e) {
                return false;
            }
        });
        return retries[0];
    }
}
