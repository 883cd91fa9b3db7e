package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.infra.process.Modules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One of the project's services as ./dev starts it: the module's compiled classes plus the runtime classpath the
 * build wrote to {@code target/runtime.classpath}, on the JDK running the launcher (21+).
 *
 * @param module    Maven module directory
 * @param mainClass entry point
 * @param port      HTTP port ./dev up gives it (a load run gives free ones)
 * @param heapMegabytes its heap (-Xms and -Xmx)
 * @param scales        whether {@code --instances} runs several of it (query-api runs once)
 */
record Service(String module, String mainClass, int port, int heapMegabytes, boolean scales) {
    /** Readiness: 200 only when every readiness check of the service passes (Kafka Streams running, sink writing,
     *  processor not near the raw retention, ...). */
    static final String READY_PATH = "/observe/health/ready";
    /** Each service's metrics, in Prometheus' text format (Helidon's observe feature). */
    static final String METRICS_PATH = "/observe/metrics";

    /** In start order: the processor first, so that it is consuming before the edge accepts traffic. */
    static final List<Service> ALL = List.of(
            // 2 GiB: at 5,000 events/s with the views behind, its consumers' fetched batches, the producers' buffers,
            // the record cache and the sink's buffer outgrew 512 MiB, and G1 spent 9.8 s of 50 in pauses
            // (docs/benchmarks.md, session 9).
            new Service(Modules.STREAM_PROCESSOR, "dev.meterstream.processor.Main", 8082, 2048, true),
            new Service(Modules.INGEST_API, "dev.meterstream.ingest.Main", 8080, 512, true),
            new Service(Modules.QUERY_API, "dev.meterstream.query.Main", 8081, 512, false));

    /** Whether the module exists and is built; ./dev up starts what exists. */
    boolean isBuilt(final Path root) {
        return ModuleClasspath.isBuilt(root, module) && Files.exists(root.resolve(module)
                .resolve("target/classes").resolve(mainClass.replace('.', '/') + ".class"));
    }
}
