package dev.meterstream.infra.dev;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.schema.CqlSchema;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system on one machine, as {@code ./dev up} runs it: Kafka, Cassandra (with the schema applied), then
 * every service that is built. Data lives under {@code .data/} and survives a restart.
 */
final class DevStack implements AutoCloseable {
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

    private final Path root;
    private final Path dataDir;
    private final int brokers;
    private final PrintStream out;
    private KafkaCluster kafka;
    private CassandraNode cassandra;
    private final List<Running> services = new ArrayList<>();
    private final java.util.Map<String, Path> keysFiles = new java.util.HashMap<>();

    /** A started service and its process. */
    private record Running(Service service, JavaProcess process) {
    }

    DevStack(final Path root, final int brokers, final PrintStream out) {
        this.root = root;
        this.dataDir = root.resolve(".data");
        this.brokers = brokers;
        this.out = out;
    }

    /** Kafka and Cassandra start side by side (neither needs the other), then the services in order. */
    void start() {
        final CompletableFuture<KafkaCluster> startingKafka = CompletableFuture.supplyAsync(
                () -> KafkaCluster.start(KafkaSettings.local(brokers, dataDir.resolve("kafka-" + brokers))));
        try {
            cassandra = CassandraNode.start(CassandraSettings.local(dataDir.resolve("cassandra")));
            try (CqlSession session = cassandra.openSession()) {
                CqlSchema.apply(session, CqlSchema.Keyspace.local(CqlSchema.Keyspace.DEFAULT_NAME));
            }
        } finally {
            kafka = joinQuietly(startingKafka);
        }
        startingKafka.join(); // rethrows Kafka's start failure, if any
        out.printf("kafka            %s (%d broker%s, logs in %s)%n", kafka.bootstrapServers(), brokers,
                brokers == 1 ? "" : "s", kafka.settings().dataDir());
        out.printf("cassandra        %s:%d (keyspace %s, logs in %s)%n", cassandra.contactPoint().getHostString(),
                cassandra.contactPoint().getPort(), CqlSchema.Keyspace.DEFAULT_NAME, cassandra.settings().dataDir());
        final DevKeys keys = new DevKeys(dataDir);
        keysFiles.put("ingest-api", keys.ingestKeysFile());
        keysFiles.put("query-api", keys.queryKeysFile());
        out.printf("api key          %s (tenant %s, producer; also in %s; analyst key in %s)%n", keys.ingestKey(),
                DevKeys.TENANT, dataDir.resolve("dev-api-key"), dataDir.resolve("dev-query-key"));
        for (final Service service : Service.ALL) {
            if (!service.isBuilt(root)) {
                out.printf("%-16s not built yet; skipped%n", service.module());
                continue;
            }
            services.add(new Running(service, startService(service)));
        }
        services.forEach(running -> awaitHealthy(running.service(), running.process()));
    }

    /** The started cluster, or null if starting it failed (the caller rethrows that failure). */
    private static KafkaCluster joinQuietly(final CompletableFuture<KafkaCluster> starting) {
        try {
            return starting.join();
        } catch (final RuntimeException e) {
            return null;
        }
    }

    private JavaProcess startService(final Service service) {
        final JavaProcess process = JavaProcess.builder(service.module())
                .classpath(ModuleClasspath.of(root, service.module()))
                .jvmArgs("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                        "-Dserver.port=" + service.port(),
                        "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "-Dcassandra.contact-point=" + cassandra.contactPoint().getHostString() + ":"
                                + cassandra.contactPoint().getPort(),
                        "-Dmeterstream.data-dir=" + dataDir,
                        "-Dprocessor.state-dir=" + dataDir.resolve("processor-state"))
                .jvmArgs(keysFiles.containsKey(service.module())
                        ? new String[] {"-Dauth.keys-file=" + keysFiles.get(service.module())} : new String[0])
                .mainClass(service.mainClass())
                .logFile(dataDir.resolve("logs").resolve(service.module() + ".log"))
                .workingDirectory(root)
                .start();
        out.printf("%-16s %s (pid %d, log %s)%n", service.module(), service.url(), process.pid(), process.logFile());
        return process;
    }

    private static void awaitHealthy(final Service service, final JavaProcess process) {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(service.healthUrl()))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Await.until(service.module() + " to report healthy at " + service.healthUrl(), SERVICE_READY_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new Await.GaveUp(service.module() + " exited; see " + process.logFile());
            }
            final int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 204;
        });
    }

    /** Every process of the stack, for reporting. */
    List<JavaProcess> processes() {
        final List<JavaProcess> all = new ArrayList<>();
        if (kafka != null) {
            all.addAll(kafka.processes());
        }
        if (cassandra != null && cassandra.process() != null) {
            all.add(cassandra.process());
        }
        services.forEach(running -> all.add(running.process()));
        return all;
    }

    /** Services first (they drain in-flight work into Kafka and Cassandra), then Kafka and Cassandra together. */
    @Override
    public void close() {
        services.forEach(running -> running.process().requestStop());
        services.forEach(running -> running.process().awaitStop(SERVICE_STOP_GRACE));
        final Thread stopCassandra = new Thread(() -> {
            if (cassandra != null) {
                cassandra.close();
            }
        }, "stop-cassandra");
        stopCassandra.start();
        if (kafka != null) {
            kafka.close();
        }
        try {
            stopCassandra.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
