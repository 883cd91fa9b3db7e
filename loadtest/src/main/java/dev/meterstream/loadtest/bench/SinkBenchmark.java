package dev.meterstream.loadtest.bench;

import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.support.kafka.ConsumerGroups;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.infra.process.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The Cassandra sink benchmark of docs/benchmarks.md: a backlog of raw events on one broker is turned into the log
 * and aggregates by the processor (sink off, timed too); then the processor is started again with the sink on and
 * nothing left for Kafka Streams to do, and the sink is timed draining the log and aggregates into one local
 * Cassandra node (full JIT), with the rows it wrote per table read from its metrics. Everything it starts it stops.
 * Run it with {@code loadtest/bench-sink [events] [subjects]}.
 */
public final class SinkBenchmark {
    private static final int PARTITIONS = 12;
    private static final String PROCESSOR = "bench-sink-processor";
    private static final String SINK = "bench-sink";
    private static final Pattern ROWS = Pattern.compile("^sink_rows_written_total\\{.*table=\"([a-z_()]+)\".*\\} (\\S+)$",
            Pattern.MULTILINE);

    private SinkBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        final int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final Path workDir = Files.createDirectories(root.resolve("loadtest/target/bench-sink-"
                + System.currentTimeMillis()));
        final StringBuilder report = new StringBuilder();
        line(report, "sink benchmark, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + Runtime.version() + ": " + events + " raw records (5% copies), " + subjects
                + " subjects x 5 meters, event times over the last hour; 1 broker, " + PARTITIONS
                + " partitions; 1 Cassandra node (1 GiB heap, full JIT); work dir " + workDir);
        try (KafkaCluster kafka = KafkaCluster.start(KafkaSettings.ephemeral(1, workDir.resolve("kafka"))
                .withHeapMegabytes(1024));
             CassandraNode cassandra = CassandraNode.start(CassandraSettings.ephemeral(workDir.resolve("cassandra"))
                     .fullSpeed().withHeapMegabytes(1024));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TopicSpec.raw(PARTITIONS, ServiceConfig.rawRetention(ServiceConfig.shared())));
            RawBacklog.produce(kafka.bootstrapServers(), events, subjects, Duration.ofHours(1));

            long start = System.nanoTime();
            try (JavaProcess processor = processor(root, workDir, kafka, cassandra, false, 0)) {
                Await.until("the processor to process the backlog", Duration.ofMinutes(30), () -> {
                    alive(processor);
                    return ConsumerGroups.committed(admin, PROCESSOR, Topics.RAW) >= events
                            && ConsumerGroups.caughtUp(admin, PROCESSOR,
                                    List.of(Topics.RAW, Topics.bySeriesRepartition(PROCESSOR)));
                });
            }
            final long logRecords = ends(admin, Topics.EVENTS);
            final long aggregateRecords = ends(admin, Topics.AGGREGATES);
            line(report, String.format("processor (sink off): %d raw records in %.1f s -> %d log records, %d "
                    + "aggregate records", events, (System.nanoTime() - start) / 1e9, logRecords, aggregateRecords));

            final int port = Ports.free(1).getFirst();
            try (JavaProcess processor = processor(root, workDir, kafka, cassandra, true, port)) {
                final CpuSampler cpu = new CpuSampler(Map.of("stream-processor+sink", processor.pid(),
                        "cassandra", cassandra.process().pid(), "kafka", kafka.processes().getFirst().pid()));
                start = System.nanoTime();
                cpu.start();
                Await.until("the sink to write the log and aggregates", Duration.ofMinutes(60), () -> {
                    alive(processor);
                    return ConsumerGroups.committed(admin, SINK, Topics.EVENTS) >= logRecords
                            && ConsumerGroups.committed(admin, SINK, Topics.AGGREGATES) >= aggregateRecords;
                });
                final double seconds = (System.nanoTime() - start) / 1e9;
                final String cpuText = CpuSampler.describe(cpu.stop());
                final Map<String, Double> rows = rows(port);
                final double total = rows.entrySet().stream().filter(e -> !e.getKey().contains("("))
                        .mapToDouble(Map.Entry::getValue).sum();
                line(report, String.format("sink: %d log records and %d aggregate records drained in %.1f s (from "
                                + "process start: JVM, connect, schema check and group join included) = %.0f log "
                                + "records/s, %.0f rows/s in all; rows by table: %s; CPU (100%% = 1 core): %s",
                        logRecords, aggregateRecords, seconds, logRecords / seconds, total / seconds, rows, cpuText));
            }
        }
        System.out.println("\n" + report);
        Files.writeString(workDir.resolve("report.md"), report);
    }

    private static JavaProcess processor(final Path root, final Path workDir, final KafkaCluster kafka,
                                         final CassandraNode cassandra, final boolean sink, final int port) {
        final List<String> args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
                "-Dserver.port=" + port, "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "-Dprocessor.application-id=" + PROCESSOR, "-Dprocessor.state-dir=" + workDir.resolve("state"),
                "-Dtopics.raw-partitions=" + PARTITIONS, "-Dsink.enabled=" + sink, "-Dsink.group-id=" + SINK,
                "-Dcassandra.contact-point=127.0.0.1:" + cassandra.contactPoint().getPort()));
        return JavaProcess.builder(sink ? "bench-sink" : "bench-sink-processor")
                .classpath(ModuleClasspath.of(root, "stream-processor"))
                .jvmArgs(args.toArray(String[]::new))
                .mainClass("dev.meterstream.processor.Main")
                .logFile(workDir.resolve(sink ? "sink.log" : "processor.log"))
                .start();
    }

    private static void alive(final JavaProcess process) {
        if (!process.isAlive()) {
            throw new Await.GaveUp(process + " exited; see " + process.logFile());
        }
    }

    private static long ends(final Admin admin, final String topic) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                        org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                .mapToLong(i -> i.offset()).sum();
    }

    /** Rows written per table, from the sink's Prometheus counters. */
    private static Map<String, Double> rows(final int port) throws Exception {
        final String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        final Map<String, Double> rows = new TreeMap<>();
        final Matcher matcher = ROWS.matcher(text);
        while (matcher.find()) {
            rows.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return rows;
    }

    private static void line(final StringBuilder report, final String text) {
        System.out.println(text);
        report.append("- ").append(text).append('\n');
    }
}
