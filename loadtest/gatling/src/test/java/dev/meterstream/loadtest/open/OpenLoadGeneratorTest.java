package dev.meterstream.loadtest.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator against the JDK's HTTP server on loopback: every arrival answered and recorded, none twice. */
class OpenLoadGeneratorTest {
    @TempDir
    Path out;

    private static Properties run(final HttpServer server, final String stages, final Path out) throws IOException {
        return run(server, stages, out, 0);
    }

    private static Properties run(final HttpServer server, final String stages, final Path out, final int retries)
            throws IOException {
        final IngestLoad load = new IngestLoad("t", 2, 10, 2, 1, 0, 0, 1_000);
        final URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        new OpenLoadGenerator(load, url, List.of("key-a", "key-b"), ArrivalSchedule.parse(stages), 50, 5_000,
                retries).run();
        load.write(out);
        final Properties summary = new Properties();
        try (var reader = Files.newBufferedReader(out.resolve("summary.properties"))) {
            summary.load(reader);
        }
        return summary;
    }

    private static HttpServer server(final AtomicInteger received, final boolean closeEveryThird) throws IOException {
        return server(received, closeEveryThird, Set.of());
    }

    /**
     * @param badGateway the bodies (event ids) answered 502 the first time they arrive, as a proxy whose instance
     *                   died
     */
    private static HttpServer server(final AtomicInteger received, final boolean closeEveryThird,
                                     final Set<String> badGateway) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        server.createContext("/api/usages", exchange -> {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            final boolean authorised = exchange.getRequestHeaders().getFirst("Authorization").startsWith("Bearer key-");
            final int n = received.incrementAndGet();
            final String id = new String(body).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            if (badGateway.contains(id) && seen.add(id)) {
                exchange.sendResponseHeaders(502, -1);
                exchange.close();
                return;
            }
            if (closeEveryThird && n % 3 == 0) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            final byte[] answer = ("{\"accepted\":" + (body.length > 0 ? 1 : 0) + "}").getBytes();
            exchange.sendResponseHeaders(authorised ? 202 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    @Test
    void shouldSendEveryArrivalOnceAndRecordEveryAnswer() throws IOException {
        final AtomicInteger received = new AtomicInteger();
        final HttpServer server = server(received, false);
        try {
            final Properties summary = run(server, "1:200,1:200", out);
            assertEquals("300", summary.getProperty("requests.started"), "100 on the ramp, 200 held");
            assertEquals("300", summary.getProperty("status.202"));
            assertEquals(300, received.get());
            assertEquals("300", summary.getProperty("events.accepted.distinct"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldCarryOnWhenTheServerClosesConnections() throws IOException {
        final AtomicInteger received = new AtomicInteger();
        final HttpServer server = server(received, true);
        try {
            final Properties summary = run(server, "1:100,1:100", out);
            assertEquals("150", summary.getProperty("status.202"));
            assertTrue(received.get() >= 150);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldSendAFailedRequestAgainWithTheSameEventsWhenRetriesAreOn() throws IOException {
        final AtomicInteger received = new AtomicInteger();
        final HttpServer server = server(received, false, Set.of("t-3", "t-7", "t-11"));
        try {
            final Properties summary = run(server, "1:50", out, 2);
            assertEquals("25", summary.getProperty("status.202"), "every request answered 202 in the end");
            assertEquals(null, summary.getProperty("status.502"));
            assertEquals("3", summary.getProperty("requests.retried"));
            assertEquals("25", summary.getProperty("events.accepted.distinct"), "the same ids, not new events");
            assertEquals(28, received.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldRecordABadGatewayWhenRetriesAreOff() throws IOException {
        final AtomicInteger received = new AtomicInteger();
        final HttpServer server = server(received, false, Set.of("t-3"));
        try {
            final Properties summary = run(server, "1:50", out);
            assertEquals("1", summary.getProperty("status.502"));
            assertEquals("0", summary.getProperty("requests.retried"));
            assertEquals(25, received.get());
        } finally {
            server.stop(0);
        }
    }
}
