package dev.meterstream.query;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.http.HttpRouting;

/** Starts query-api: loads configuration, starts the server, stops it cleanly on SIGTERM. Wiring only. */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        LogConfig.configureRuntime();
        final QueryServer server = QueryServer.start(Config.create());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "query-shutdown"));
        System.out.println("query-api listening on http://127.0.0.1:" + server.port());
    }

    /** Every route of query-api; tests mount the same ones. Health and metrics come from the observe feature. */
    static void routing(final HttpRouting.Builder routing, final QueryService queries) {
        routing.register(queries).get("/", new AnalystPage());
    }
}
