package dev.meterstream.processor;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts stream-processor: loads configuration, starts the topology and its HTTP server. Wiring only. */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        LogConfig.configureRuntime();
        final ProcessorServer server = ProcessorServer.start(Config.create());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "processor-shutdown"));
        System.out.println("stream-processor: health and metrics on http://127.0.0.1:" + server.port());
    }
}
