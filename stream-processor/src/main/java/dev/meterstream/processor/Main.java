package dev.meterstream.processor;

import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.http.SocketPolling;
import io.helidon.logging.common.LogConfig;

/** Starts stream-processor: loads configuration, starts the topology and its HTTP server. Wiring only. */
public final class Main {
    /** The exit status when a part of the process stopped for good (see {@link ProcessorServer#start}). */
    static final int FAILED = 70;

    private Main() {
    }

    public static void main(final String[] args) {
        SocketPolling.useSystemThreads();
        LogConfig.configureRuntime();
        final ProcessorServer server = ProcessorServer.start(ServiceConfig.load(ProcessorSettings.DEFAULTS),
                // Its own thread: System.exit runs the shutdown hook, which waits for the thread that failed.
                () -> Thread.ofPlatform().name("processor-exit").start(() -> {
                    System.err.println("stream-processor: a part stopped for good; exiting with status " + FAILED);
                    System.exit(FAILED);
                }));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "processor-shutdown"));
        System.out.println("stream-processor: health and metrics on http://127.0.0.1:" + server.port());
    }
}
