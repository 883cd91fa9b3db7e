package dev.meterstream.processor;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/** Starts stream-processor: loads configuration, mounts the routes, prints where it listens. Wiring only. */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        LogConfig.configureRuntime();
        final Config config = Config.create();
        final WebServer server = WebServer.builder()
                .config(config.get("server"))
                .routing(Main::routing)
                .build()
                .start();
        System.out.println("stream-processor listening on http://127.0.0.1:" + server.port());
    }

    /** The service's routes; tests mount the same ones. Health and metrics come from the observe features. */
    static void routing(final HttpRouting.Builder routing) {
        // TODO(issue): the service's own routes arrive with its issue.
    }
}
