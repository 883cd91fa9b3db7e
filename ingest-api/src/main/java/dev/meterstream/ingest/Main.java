package dev.meterstream.ingest;

import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.http.SocketPolling;
import io.helidon.logging.common.LogConfig;

/** Starts ingest-api: loads configuration, starts the server, stops it cleanly on SIGTERM. Wiring only. */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        SocketPolling.useSystemThreads();
        LogConfig.configureRuntime();
        final IngestServer server = IngestServer.start(ServiceConfig.load(IngestSettings.DEFAULTS));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ingest-shutdown"));
        System.out.println("ingest-api listening on http://127.0.0.1:" + server.port());
    }
}
