package dev.meterstream.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.mapper.MapperManager;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The machine's HTTP ceiling: the same server stack as ingest-api (Helidon SE, virtual threads, Jackson), on the same
 * route, reading and parsing the JSON body and answering 202, with no Kafka behind it. Usage: {@code NoopServer <port>}.
 */
public final class NoopServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ACCEPTED = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);

    private NoopServer() {
    }

    public static void main(final String[] args) {
        MapperManager.global(MapperManager.global()); // as ingest-api does; see IngestServer
        final WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .routing(routing -> routing.post("/api/usages", (request, response) -> {
                    final JsonNode event;
                    try {
                        event = JSON.readTree(request.content().inputStream());
                    } catch (final IOException e) {
                        response.status(Status.BAD_REQUEST_400).send();
                        return;
                    }
                    response.status(event.has("subject") ? Status.ACCEPTED_202 : Status.BAD_REQUEST_400)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(ACCEPTED);
                }))
                .build()
                .start();
        System.out.println("noop server listening on http://127.0.0.1:" + server.port());
    }
}
