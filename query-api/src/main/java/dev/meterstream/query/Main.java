package dev.meterstream.query;

import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.http.SocketPolling;
import io.helidon.logging.common.LogConfig;

/** Starts query-api: loads configuration, starts the server, stops it cleanly on SIGTERM. Wiring only. */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        SocketPolling.useSystemThreads();
        LogConfig.configureRuntime();
        final QueryServer server = QueryServer.start(ServiceConfig.load(QuerySettings.DEFAULTS));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "query-shutdown"));
        System.out.println("query-api listening on http://127.0.0.1:" + server.port());
    }
}
