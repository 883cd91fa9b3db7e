package dev.meterstream.loadtest.bench;

import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.loadtest.measure.WrkRun;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventJson;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.ServerClasspath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;

/**
 * The ingest benchmark of docs/benchmarks.md, in one run on one machine: a real broker, then
 * <ol>
 *   <li>ingest-api under wrk, single-event POSTs (the goal: 1M a minute for 3 minutes, p99 at most 50 ms, no error);
 *   <li>ingest-api under wrk, batches of 100 events;
 *   <li>a do-nothing Helidon endpoint under the same wrk profile (the machine's HTTP ceiling);
 *   <li>Kafka's own ProducerPerformance with ingest-api's producer settings (the broker's ceiling).
 * </ol>
 * Everything it starts it stops. Run it with {@code loadtest/bench-ingest [seconds] [connections]}.
 */
public final class IngestBenchmark {
    private final Path root;
    private final Path workDir;
    private final Duration duration;
    private final int connections;
    private final StringBuilder report = new StringBuilder();

    private IngestBenchmark(final Path root, final Duration duration, final int connections) throws IOException {
        this.root = root;
        this.workDir = Files.createDirectories(root.resolve("loadtest/target/bench-ingest-" + System.currentTimeMillis()));
        this.duration = duration;
        this.connections = connections;
    }

    /** Held so that the level sticks: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    public static void main(final String[] args) throws Exception {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 180);
        final int connections = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        new IngestBenchmark(root, duration, connections).run();
    }

    private void run() throws Exception {
        line("ingest benchmark, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + Runtime.version() + ", wrk -t2 -c" + connections + ", measured "
                + duration.toSeconds() + " s after a 30 s warm-up; everything on this machine; work dir " + workDir);
        final String key = ApiKeys.generateKey();
        final Path keysFile = workDir.resolve("keys");
        Files.writeString(keysFile, ApiKeys.sha256(key) + " bench\n");
        final Map<String, String> wrkEnvironment = Map.of("API_KEY", key);
        try (KafkaCluster kafka = KafkaCluster.start(KafkaSettings.ephemeral(1, workDir.resolve("kafka"))
                .withHeapMegabytes(1024))) {
            final long brokerPid = kafka.processes().getFirst().pid();
            final int port = Ports.free(1).getFirst();
            try (JavaProcess ingest = JavaProcess.builder("ingest-api")
                    .classpath(ModuleClasspath.of(root, "ingest-api"))
                    .jvmArgs("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dserver.port=" + port,
                            "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                            "-Dauth.keys-file=" + keysFile,
                            "-Dingest.max-in-flight-events=200000")
                    .mainClass("dev.meterstream.ingest.Main")
                    .logFile(workDir.resolve("ingest-api.log"))
                    .start()) {
                awaitHealthy(port, ingest);
                final Map<String, Long> pids = Map.of("ingest-api", ingest.pid(), "kafka", brokerPid);
                measure("ingest-api, single-event POSTs", "single-event.lua", port, wrkEnvironment, pids, 1);
                measure("ingest-api, batches of 100 events", "batch.lua", port, wrkEnvironment, pids, 100);
            }
            final int noopPort = Ports.free(1).getFirst();
            try (JavaProcess noop = JavaProcess.builder("noop-server")
                    .classpath(ModuleClasspath.of(root, "loadtest"))
                    .jvmArgs("-Xms1g", "-Xmx1g", "-XX:+UseG1GC")
                    .mainClass(NoopServer.class.getName())
                    .args(Integer.toString(noopPort))
                    .logFile(workDir.resolve("noop-server.log"))
                    .start()) {
                Await.until("the noop server to listen", Duration.ofSeconds(60), () -> Ports.listening(noopPort));
                measure("do-nothing Helidon POST (HTTP ceiling)", "single-event.lua", noopPort, wrkEnvironment,
                        Map.of("noop-server", noop.pid()), 1);
            }
            producerPerformance(kafka);
        }
        System.out.println("\n" + report);
        Files.writeString(workDir.resolve("report.md"), report);
    }

    private void measure(final String name, final String script, final int port, final Map<String, String> env,
                         final Map<String, Long> pids, final int eventsPerRequest) throws Exception {
        final Path lua = root.resolve("loadtest/wrk").resolve(script);
        final String url = "http://127.0.0.1:" + port;
        System.out.println("warming up: " + name);
        WrkRun.run(lua, url, 2, connections, Duration.ofSeconds(30), env, pid -> { }, workDir.resolve("warmup.log"));
        System.out.println("measuring: " + name);
        final AtomicReference<CpuSampler> sampler = new AtomicReference<>();
        final WrkRun result = WrkRun.run(lua, url, 2, connections, duration, env, wrkPid -> {
            final Map<String, Long> all = new LinkedHashMap<>(pids);
            all.put("wrk", wrkPid);
            sampler.set(new CpuSampler(all));
            sampler.get().start();
        }, workDir.resolve(script.replace(".lua", "") + "-" + port + ".log"));
        final String cpu = CpuSampler.describe(sampler.get().stop());
        line(String.format("%s: %.0f requests/s = %.0f requests/min (%.0f events/min); p50 %.1f ms, p90 %.1f ms, "
                        + "p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; %d responses, %d errors %s; CPU (100%% = 1 core): %s",
                name, result.requestsPerSecond(), result.requestsPerSecond() * 60,
                result.requestsPerSecond() * 60 * eventsPerRequest, result.p50Millis(), result.p90Millis(),
                result.p99Millis(), result.p999Millis(), result.maxMillis(), result.total(), result.errors(),
                result.statuses(), cpu));
    }

    private void producerPerformance(final KafkaCluster kafka) throws Exception {
        final String topic = "bench-producer-perf";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSpec.other(topic, 12));
        }
        final Path payloads = workDir.resolve("payloads.txt");
        final StringBuilder lines = new StringBuilder();
        final Instant now = Instant.now();
        for (int i = 0; i < 1000; i++) {
            lines.append(new String(UsageEventJson.write(new UsageEvent("bench", "wrk-1700000000-1-" + i,
                    "subject-" + i, "meter-" + i % 5, i % 10, now, Map.of(), now)), StandardCharsets.UTF_8))
                    .append('\n');
        }
        Files.writeString(payloads, lines);
        final long records = 5_000_000;
        System.out.println("measuring: Kafka ProducerPerformance");
        try (JavaProcess perf = JavaProcess.builder("producer-perf")
                .classpath(ServerClasspath.KAFKA.entries())
                .jvmArgs("-Xmx1g")
                .mainClass("org.apache.kafka.tools.ProducerPerformance")
                .args("--topic", topic, "--num-records", Long.toString(records), "--throughput", "-1",
                        "--payload-file", payloads.toString(), "--producer-props",
                        "bootstrap.servers=" + kafka.bootstrapServers(), "acks=all", "enable.idempotence=true",
                        "linger.ms=5", "batch.size=65536", "compression.type=lz4")
                .logFile(workDir.resolve("producer-perf.log"))
                .start()) {
            final CpuSampler sampler = new CpuSampler(Map.of("producer-perf", perf.pid(),
                    "kafka", kafka.processes().getFirst().pid()));
            sampler.start();
            final int exit = perf.awaitExit(Duration.ofMinutes(10));
            final String cpu = CpuSampler.describe(sampler.stop());
            final List<String> output = Files.readAllLines(workDir.resolve("producer-perf.log"));
            final String summary = output.stream().filter(l -> l.startsWith(records + " records sent")).findFirst()
                    .orElse("no summary (exit " + exit + "); see producer-perf.log");
            line("Kafka ProducerPerformance (~190 B JSON events, acks=all, idempotent, lz4, linger 5 ms, 12 partitions): "
                    + summary + " CPU: " + cpu);
        }
    }

    private static void awaitHealthy(final int port, final JavaProcess process) {
        final HttpClient client = HttpClient.newHttpClient();
        Await.until("ingest-api to be ready on port " + port, Duration.ofSeconds(120), () -> {
            if (!process.isAlive()) {
                throw new Await.GaveUp("ingest-api exited; see " + process.logFile());
            }
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    private void line(final String text) {
        System.out.println(text);
        report.append("- ").append(text).append('\n');
    }
}
