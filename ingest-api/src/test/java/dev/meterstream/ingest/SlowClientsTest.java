package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.process.Await;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.http.SlowRequests;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A slowloris against ingest-api's own server settings (ingest-api.yaml's {@code server.*}, with a shorter
 * {@code server.request-timeout} so that the test is short), on a server assembled as {@link IngestServer} does:
 * connections that send a request a byte at a time are closed, and the service answers other clients all the while.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
    private static final int SLOW_CLIENTS = 50;
    private WebServer server;
    private SlowRequests slowRequests;

    @BeforeAll
    void start() {
        final IngestSettings settings = TestSettings.create("unused:9092");
        final IngestMetrics metrics = new IngestMetrics(() -> 0.0, () -> 0);
        final WebServerConfig.Builder builder = WebServer.builder();
        slowRequests = SlowRequests.install(builder, ServiceConfig.defaults(IngestSettings.DEFAULTS,
                Map.of("server.port", "0", "server.request-timeout", "PT2S")).get("server"));
        server = builder
                .routing((HttpRouting.Builder routing) -> IngestServer.routing(routing, IngestServer.keys(settings, java.util.Optional.empty()), metrics,
                        new UsageService(settings, new UsageServiceTest.RecordingPublisher(),
                                new Semaphore(settings.maxInFlightEvents()), metrics, java.time.Clock.systemUTC())))
                .build().start();
    }

    @AfterAll
    void stop() {
        server.stop();
        slowRequests.close();
    }

    @Test
    void shouldCloseConnectionsThatSendARequestSlowlyAndAnswerOthersMeanwhile() throws Exception {
        final List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                final Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write(("POST /api/usages HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            final Instant started = Instant.now();
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Each round sends every slow connection another byte: never idle for long, never done.
            Await.until("every slow connection to be closed by the server", Duration.ofSeconds(60), () -> {
                final HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/usages"))
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, other.statusCode(), "another client is answered while the slow ones hang on");
                int open = 0;
                for (final Socket socket : slow) {
                    if (stillOpen(socket)) {
                        open++;
                    }
                }
                return open == 0;
            });
            assertTrue(Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(1)) > 0,
                    "the slow connections were open a while: they were closed for being slow, not refused");
        } finally {
            for (final Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void shouldRefuseHeadersOverTheLimit() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> big = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/usages"))
                .header("X-Padding", "p".repeat(12 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(big.statusCode() == 431 || big.statusCode() == 400, big.statusCode() + " " + big.body());
    }

    /** Sends one more header byte: open if the server neither closed the connection nor refused the write. */
    private static boolean stillOpen(final Socket socket) {
        try {
            socket.getOutputStream().write('X');
            socket.setSoTimeout(1);
            final InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // an answer the server sent before closing (a 408 or a 400): read on to the close
            }
            return false;
        } catch (final java.net.SocketTimeoutException e) {
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}
