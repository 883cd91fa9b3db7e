package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

@ServerTest
class ObserveEndpointsTest {
    private final Http1Client client;

    ObserveEndpointsTest(final Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(final HttpRouting.Builder builder) {
        Main.routing(builder);
    }

    @Test
    void healthShouldAnswerUp() {
        try (Http1ClientResponse response = client.get("/observe/health").request()) {
            assertEquals(Status.NO_CONTENT_204, response.status());
        }
    }

    @Test
    void metricsShouldAnswerInPrometheusFormat() {
        try (Http1ClientResponse response = client.get("/observe/metrics").header(io.helidon.http.HeaderNames.ACCEPT,
                "text/plain").request()) {
            assertEquals(Status.OK_200, response.status());
            assertTrue(response.as(String.class).contains("# TYPE"), "Prometheus text has TYPE lines");
        }
    }
}
