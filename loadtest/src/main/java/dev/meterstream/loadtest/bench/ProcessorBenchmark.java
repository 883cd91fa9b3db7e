package dev.meterstream.loadtest.bench;

import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.Topics;
import dev.meterstream.support.kafka.ConsumerGroups;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The stream-processor catch-up benchmark of docs/benchmarks.md: a backlog of raw events (5% re-sent copies) on one
 * broker, then the processor started on it, once with exactly-once and once with at-least-once, each timed until it
 * has committed the whole backlog, repartition topic included. Everything it starts it stops.
 * Run it with {@code loadtest/bench-processor [events] [both|exactly-once]}.
 */
public final class ProcessorBenchmark {
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");
    private static final int PARTITIONS = 12;

    private ProcessorBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        final List<Boolean> modes = args.length > 1 && args[1].equals("exactly-once") ? List.of(true)
                : List.of(true, false);
        final Path workDir = Files.createDirectories(root.resolve("loadtest/target/bench-processor-"
                + System.currentTimeMillis()));
        final StringBuilder report = new StringBuilder();
        line(report, "processor catch-up benchmark, " + LocalDate.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", backlog of "
                + events + " raw records (5% copies), 1 broker, " + PARTITIONS + " partitions; work dir " + workDir);
        try (KafkaCluster kafka = KafkaCluster.start(KafkaSettings.ephemeral(1, workDir.resolve("kafka"))
                .withHeapMegabytes(1024));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSpec.raw(PARTITIONS, ServiceConfig.rawRetention(ServiceConfig.shared())));
            final long started = System.nanoTime();
            RawBacklog.produce(kafka.bootstrapServers(), events, 1_000, Duration.ofHours(2));
            line(report, String.format("backlog produced in %.1f s", (System.nanoTime() - started) / 1e9));
            for (final boolean exactlyOnce : modes) {
                final String applicationId = exactlyOnce ? "bench-exactly-once" : "bench-at-least-once";
                try (JavaProcess processor = JavaProcess.builder(applicationId)
                        .classpath(ModuleClasspath.of(root, "stream-processor"))
                        .jvmArgs("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dserver.port=0",
                                "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "-Dprocessor.application-id=" + applicationId,
                                "-Dprocessor.state-dir=" + workDir.resolve(applicationId),
                                "-Dprocessor.exactly-once=" + exactlyOnce,
                                "-Dtopics.raw-partitions=" + PARTITIONS, "-Dsink.enabled=false")
                        .mainClass("dev.meterstream.processor.Main")
                        .logFile(workDir.resolve(applicationId + ".log"))
                        .start()) {
                    final CpuSampler cpu = new CpuSampler(Map.of("stream-processor", processor.pid(),
                            "kafka", kafka.processes().getFirst().pid()));
                    final long start = System.nanoTime();
                    cpu.start();
                    Await.until(applicationId + " to process the backlog", Duration.ofMinutes(30), () -> {
                        if (!processor.isAlive()) {
                            throw new Await.GaveUp(applicationId + " exited; see " + processor.logFile());
                        }
                        return ConsumerGroups.committed(admin, applicationId, Topics.RAW) >= events
                                && ConsumerGroups.caughtUp(admin, applicationId,
                                        List.of(Topics.RAW, Topics.bySeriesRepartition(applicationId)));
                    });
                    final double seconds = (System.nanoTime() - start) / 1e9;
                    line(report, String.format("%s: %d raw records in %.1f s (from process start, JVM and rebalance "
                                    + "included) = %.0f records/s; CPU (100%% = 1 core): %s", exactlyOnce
                                    ? "exactly_once_v2" : "at_least_once", events, seconds, events / seconds,
                            CpuSampler.describe(cpu.stop())));
                }
            }
        }
        System.out.println("\n" + report);
        Files.writeString(workDir.resolve("report.md"), report);
    }

    private static void line(final StringBuilder report, final String text) {
        System.out.println(text);
        report.append("- ").append(text).append('\n');
    }
}
