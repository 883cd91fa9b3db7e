package dev.meterstream.loadtest.run;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.infra.dev.DevStack;
import dev.meterstream.infra.dev.StackLayout;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.DataDirectories;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Modules;
import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.loadtest.measure.GatlingProcess;
import dev.meterstream.loadtest.measure.GeneratorProcess;
import dev.meterstream.loadtest.open.ProgressFile;
import dev.meterstream.support.config.ServiceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import dev.meterstream.event.Topics;
import dev.meterstream.loadtest.open.LoadEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One staged load run, start to report: its own stack (Kafka with 1 or 3 brokers, Cassandra, the three services,
 * on free ports in {@code loadtest/target/load-<time>/}), the load generator (the lean one unless the profile
 * names Gatling) driving ingest-api with the profile, a sampler
 * recording lag and CPU each second, optionally a broker killed and restarted mid-run; then it waits for the
 * views to be complete through the last answer, checks exactness against Cassandra, writes the report to
 * {@code loadtest/reports/<time>/} and stops everything it started. The stack's data is deleted afterwards (the
 * services' logs are kept with the report).
 */
public final class LoadRun {
    /** How long the run waits for the pipeline to drain before it gives up and reports it. */
    static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final String KEYSPACE = ServiceConfig.keyspace();
    private static final int KILLED_BROKER = 1;
    /** The load generator's name in the samples and the report (pipeline.csv's cpu_generator). */
    public static final String GENERATOR = "generator";
    /** How far back the load generator's late events go (IngestLoad, in the Gatling module's JVM). */
    private static final Duration OLDEST_LATE_EVENT = Duration.ofHours(24);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(180);
    private static final double QUIET_CORES = 0.4;
    private static final int QUIET_SECONDS = 5;

    /**
     * What a run ended with.
     *
     * @param usage what the run used, second by second, for windows of it to be costed
     * @param cassandraPerEvent the sink's Cassandra requests, rows and reads per event accepted, over the whole run
     */
    public record Outcome(Path reportDir, String verdict, boolean exact, Usage usage, String cassandraPerEvent) {
    }

    private final Path root;
    private final Path reportsRoot;
    private final LoadProfile profile;
    private final PrintStream out;
    private final List<String> events = new ArrayList<>();

    /** A run of the project at {@code root}, its report in a new directory under {@code reportsRoot}. */
    public LoadRun(final Path root, final Path reportsRoot, final LoadProfile profile, final PrintStream out) {
        this.root = root;
        this.reportsRoot = reportsRoot;
        this.profile = profile;
        this.out = out;
    }

    public Outcome run() throws Exception {
        final String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path reportDir = Files.createDirectories(reportsRoot.resolve(stamp));
        final Path workDir = Files.createDirectories(root.resolve("loadtest/target/load-" + stamp));
        final String runId = "run" + stamp.replace("-", "");
        final List<String> tenants = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final StringBuilder ingestKeys = new StringBuilder();
        for (int t = 0; t < profile.tenants(); t++) {
            tenants.add("load-" + t);
            keys.add(ApiKeys.generateKey());
            ingestKeys.append(ApiKeys.sha256(keys.getLast())).append(' ').append(tenants.getLast()).append('\n');
        }
        final Path ingestKeysFile = Files.writeString(workDir.resolve("ingest-keys"), ingestKeys);
        final Path queryKeysFile = Files.writeString(workDir.resolve("query-keys"),
                ApiKeys.sha256(ApiKeys.generateKey()) + " load-0\n");
        final List<String> adminKeys = new ArrayList<>();
        final StringBuilder adminKeyDigests = new StringBuilder();
        for (final String tenant : tenants) {
            adminKeys.add(ApiKeys.generateKey());
            adminKeyDigests.append(ApiKeys.sha256(adminKeys.getLast())).append(' ').append(tenant).append('\n');
        }
        final Path adminKeysFile = Files.writeString(workDir.resolve("admin-keys"), adminKeyDigests);
        out.println("load run " + runId + ": " + profile.describe());
        out.println("report in " + reportDir);
        // The runner's own clients (Kafka admin, Cassandra driver) log their configuration at start; that goes to
        // a file of the report, and the console shows the run's progress instead.
        RunnerLog.toFile(reportDir.resolve("runner.log"));
        final DevStack stack = new DevStack(root, new StackLayout(workDir.resolve("data"), profile.brokers(), true,
                ingestKeysFile, queryKeysFile, adminKeysFile, profile.overrides(),
                profile.aotCache() ? Optional.of(StackLayout.sharedAotCache(root)) : Optional.empty())
                .withInstances(profile.instances()), out);
        try (stack) {
            stack.start();
            if (profile.defineMeters()) {
                defineMeters(stack.url(Modules.QUERY_API), tenants, adminKeys);
            }
            return measure(stack, runId, tenants, keys, reportDir);
        } finally {
            keepLogs(workDir.resolve("data"), reportDir.resolve("logs"));
            DataDirectories.deleteTree(workDir);
        }
    }

    private Outcome measure(final DevStack stack, final String runId, final List<String> tenants,
                            final List<String> keys, final Path reportDir) throws Exception {
        settle(stack.processes());
        final Path loadOut = reportDir.resolve("load");
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put("gatling.http.requestTimeout", "10000");
        properties.put("load.request-timeout-ms", "10000");
        properties.put("load.url", stack.url(Modules.INGEST_API));
        properties.put("load.retries", Integer.toString(profile.retries()));
        properties.put("load.keys", String.join(",", keys));
        properties.put("load.stages", profile.generatorStages());
        properties.put("load.batch", Integer.toString(profile.batch()));
        properties.put("load.duplicates", Double.toString(profile.duplicates()));
        properties.put("load.late", Double.toString(profile.late()));
        properties.put("load.subjects", Integer.toString(profile.subjects()));
        properties.put("load.meters", Integer.toString(profile.meters()));
        properties.put("load.run-id", runId);
        properties.put("load.max-in-flight", Integer.toString(profile.maxInFlight()));
        properties.put("load.out", loadOut.toString());
        properties.put("load.properties", Boolean.toString(profile.properties()));
        final JavaProcess generator = profile.generator().equals("gatling")
                ? GatlingProcess.start(root, GENERATOR, "IngestSimulation", 1024, properties,
                        reportDir.resolve("gatling"), reportDir.resolve("generator.log"))
                : GeneratorProcess.start(root, GENERATOR, properties, reportDir.resolve("generator.log"));
        final Map<String, Long> pids = new LinkedHashMap<>();
        stack.processes().forEach(process -> {
            // A supervised program (HAProxy) is its JVM's child: the program's CPU is the line under the JVM's name.
            final List<ProcessHandle> children = process.handle().children().toList();
            if (children.isEmpty()) {
                pids.put(process.name(), process.pid());
            } else {
                pids.put(process.name() + "-supervisor", process.pid());
                children.forEach(child -> pids.put(process.name(), child.pid()));
            }
        });
        pids.put(GENERATOR, generator.pid());
        final ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
        try (generator;
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.kafka().bootstrapServers(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                     AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000"));
             CqlSession session = stack.cassandra().openSession();
             PipelineSampler sampler = new PipelineSampler(stack.urls(Modules.STREAM_PROCESSOR), session, KEYSPACE,
                     pids)) {
            sampler.start();
            Await.until("the generator to start the load (see " + generator.logFile() + ")", Duration.ofSeconds(120),
                    () -> {
                if (!generator.isAlive()) {
                    throw new Await.GaveUp("the generator exited before the load started; see " + generator.logFile());
                }
                return Files.exists(loadOut.resolve("started"));
            });
            final Instant loadStarted = Instant.now();
            if (profile.killBroker()) {
                faults.schedule(() -> brokerFault(stack.kafka(), sampler, loadStarted), profile.killAt().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            if (profile.killInstances()) {
                faults.schedule(() -> instanceFault(stack, sampler, loadStarted), profile.killAt().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            final int exit;
            try (ProgressLine progress = ProgressLine.start(out, loadOut.resolve(ProgressFile.NAME), sampler,
                    loadStarted)) {
                exit = generator.awaitExit(profile.length().plus(Duration.ofMinutes(10)));
            }
            out.println("the generator (" + profile.generator() + ") exited " + exit);
            if (!Files.exists(loadOut.resolve("summary.properties"))) {
                throw new IllegalStateException("the generator exited " + exit + " without writing its results; see "
                        + generator.logFile());
            }
            final Properties totals = new Properties();
            try (Reader reader = Files.newBufferedReader(loadOut.resolve("summary.properties"))) {
                totals.load(reader);
            }
            final Instant lastAnswer = Instant.ofEpochMilli(Long.parseLong(totals.getProperty("last.answer.millis")));
            out.println("load over; waiting for the views to be complete through the last answer (" + lastAnswer + ")");
            final Duration drained = awaitDrain(sampler, lastAnswer);
            out.println(drained == null ? "not drained" : "drained " + drained.toMillis() / 1000.0 + " s after the "
                    + "last answer");
            faults.shutdown();
            faults.awaitTermination(DRAIN_TIMEOUT.toSeconds() + 240, TimeUnit.SECONDS);
            final Instant firstSecond = Instant.ofEpochSecond(Long.parseLong(totals.getProperty("first.second")));
            out.println("checking exactness against Cassandra");
            if (profile.defineMeters()) {
                final int shards = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
                        .get(Topics.EVENTS).partitions().size();
                final DefinedMetersCheck defined = new DefinedMetersCheck(session, KEYSPACE, profile.definedMeters());
                Await.until("every defined meter's backfill to finish", SETTLE_TIMEOUT,
                        () -> defined.backfilled(tenants, profile.meters(), shards));
            }
            final ExactnessCheck.Result exactness = new ExactnessCheck(session, KEYSPACE, runId, tenants,
                    profile.subjects(), profile.meters(), profile.definedMeters()).check(
                    ExactnessCheck.Acknowledged.read(loadOut.resolve("acked.bin")),
                    firstSecond.minus(OLDEST_LATE_EVENT).minus(Duration.ofMinutes(1)),
                    lastAnswer.plus(Duration.ofMinutes(1)));
            final long accepted = Long.parseLong(totals.getProperty("events.accepted.distinct", "0"));
            events.add(TableStorage.read(stack.cassandra(), KEYSPACE, accepted));
            out.println(events.getLast());
            final List<LoadReport.Second> seconds = LoadReport.readSeconds(loadOut.resolve("seconds.csv"));
            final ProcessorReading processor = ProcessorReading.of(stack.urls(Modules.STREAM_PROCESSOR));
            final LoadReport report = new LoadReport(new LoadReport.Inputs(profile, runId, machine(), totals,
                    seconds, sampler.samples(), exactness, drained,
                    DRAIN_TIMEOUT, processor, events,
                    gatlingReport(reportDir)));
            final String markdown = report.write(reportDir);
            out.println();
            out.print(markdown);
            return new Outcome(reportDir, report.verdict(), exactness.passed(),
                    new Usage(loadStarted, sampler.samples(), seconds),
                    processor.perEvent(accepted));
        } finally {
            faults.shutdownNow();
        }
    }

    /** Defines {@link LoadEvents#definitions} for every event type of every tenant, through query-api. */
    private void defineMeters(final String queryApi, final List<String> tenants, final List<String> adminKeys)
            throws Exception {
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int defined = 0;
        for (int t = 0; t < tenants.size(); t++) {
            for (int m = 0; m < profile.meters(); m++) {
                for (final Map.Entry<String, String> definition : LoadEvents.definitions("meter-" + m,
                        profile.definedMeters()).entrySet()) {
                    final java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest
                            .newBuilder(java.net.URI.create(queryApi + "/api/meters/" + definition.getKey()))
                            .header("Authorization", "Bearer " + adminKeys.get(t))
                            .header("Content-Type", "application/json")
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(definition.getValue())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201 && response.statusCode() != 200) {
                        throw new IllegalStateException("defining " + definition.getKey() + " for " + tenants.get(t)
                                + " got " + response.statusCode() + ": " + response.body());
                    }
                    defined++;
                }
            }
        }
        events.add("defined " + defined + " meters before the load (" + profile.definedMeters().size()
                + " per event type and tenant: " + String.join(", ", profile.definedMeters()) + ")");
        out.println(events.getLast());
    }

    /**
     * Waits until the freshly started stack is quiet (all its processes together below {@link #QUIET_CORES} of a
     * core for {@link #QUIET_SECONDS} seconds in a row), at most {@link #SETTLE_TIMEOUT}: just after start-up the
     * JVMs compile, Kafka Streams initialises its transactions and Cassandra flushes, and an open-model load
     * started into that falls behind at once and never recovers (first runs, 2026-11-23).
     */
    private void settle(final List<JavaProcess> processes) throws InterruptedException {
        final long started = System.nanoTime();
        final long deadline = started + SETTLE_TIMEOUT.toNanos();
        double before = cpuSeconds(processes);
        int quiet = 0;
        while (quiet < QUIET_SECONDS && System.nanoTime() < deadline) {
            Thread.sleep(1_000); // a pacing interval for the CPU reading, not a wait for a condition
            final double now = cpuSeconds(processes);
            quiet = now - before < QUIET_CORES ? quiet + 1 : 0;
            before = now;
        }
        final String line = String.format("the stack %s %.0f s after it was ready", quiet >= QUIET_SECONDS
                ? "was quiet" : "was still busy (load started anyway)", (System.nanoTime() - started) / 1e9);
        events.add(line);
        out.println(line);
    }

    private static double cpuSeconds(final List<JavaProcess> processes) {
        return processes.stream().mapToDouble(p -> CpuSampler.cpuSeconds(p.pid()).orElse(0)).sum();
    }

    /** Kills a broker, keeps it down, restarts it; notes each step (seconds into the load) for the report. */
    private void brokerFault(final KafkaCluster kafka, final PipelineSampler sampler, final Instant loadStarted) {
        final String name = kafka.processes().get(KILLED_BROKER).name();
        note(loadStarted, "killed " + name + " (SIGKILL)");
        kafka.kill(KILLED_BROKER);
        try {
            Thread.sleep(LoadProfile.BROKER_DOWN.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        note(loadStarted, "restarting " + name);
        kafka.restart(KILLED_BROKER);
        kafka.processes().stream().filter(p -> p.name().equals(name)).findFirst()
                .ifPresent(p -> sampler.follow(name, p.pid()));
        note(loadStarted, name + " back and the cluster ready");
    }

    /**
     * Kills (SIGKILL) the first ingest-api instance and the last stream-processor instance, and leaves them down;
     * then notes when the views were complete through the moment of the kill: the processor's failover pause, from
     * the kill until the survivors had taken the dead instance's tasks (after its consumer session timed out) and
     * processed what it left, plus the views' usual lag.
     */
    private void instanceFault(final DevStack stack, final PipelineSampler sampler, final Instant loadStarted) {
        final JavaProcess edge = stack.instances(Modules.INGEST_API).getFirst();
        final JavaProcess processor = stack.instances(Modules.STREAM_PROCESSOR).getLast();
        final Instant killed = Instant.now();
        edge.kill();
        processor.kill();
        note(loadStarted, "killed " + edge.name() + " and " + processor.name() + " (SIGKILL); they stay down");
        try {
            Await.until("the views to be complete through the kill", DRAIN_TIMEOUT, () -> {
                final Instant through = sampler.completeThrough();
                return through != null && !through.isBefore(killed);
            });
            note(loadStarted, String.format("the views were complete through the kill %.1f s after it (the "
                    + "failover pause, with the views' usual lag)", Duration.between(killed, Instant.now())
                    .toMillis() / 1000.0));
        } catch (final RuntimeException e) {
            note(loadStarted, "the views were not complete through the kill within " + DRAIN_TIMEOUT.toMinutes()
                    + " minutes");
        }
    }

    private synchronized void note(final Instant loadStarted, final String event) {
        final String line = String.format("fault stage, %.0f s into the load: %s",
                Duration.between(loadStarted, Instant.now()).toMillis() / 1000.0, event);
        events.add(line);
        out.println(line);
    }

    /** The time from the last answer until the views were complete through it, or null if not within the timeout. */
    private static Duration awaitDrain(final PipelineSampler sampler, final Instant lastAnswer) {
        try {
            Await.until("the views to be complete through " + lastAnswer, DRAIN_TIMEOUT, () -> {
                final Instant through = sampler.completeThrough();
                return through != null && !through.isBefore(lastAnswer);
            });
            return Duration.between(lastAnswer, Instant.now());
        } catch (final RuntimeException e) {
            return null;
        }
    }

    private static String gatlingReport(final Path reportDir) throws IOException {
        final Path results = reportDir.resolve("gatling");
        if (!Files.isDirectory(results)) {
            return null;
        }
        try (var found = Files.find(results, 2, (path, attributes) -> path.endsWith("index.html"))) {
            return found.findFirst().map(path -> reportDir.relativize(path).toString()).orElse(null);
        }
    }

    private static String machine() {
        final long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format("%d cores, %.0f GiB, Linux %s, Java %s (load run), %s UTC, everything co-located",
                Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024),
                System.getProperty("os.version"), Runtime.version(),
                LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    }

    /** Copies every process's log (files under a {@code logs} directory; not Cassandra's debug.log) to the report. */
    private static void keepLogs(final Path dataDir, final Path into) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        Files.createDirectories(into);
        try (var files = Files.walk(dataDir)) {
            for (final Path log : files.filter(Files::isRegularFile)
                    .filter(path -> path.getParent().getFileName().toString().equals("logs"))
                    .filter(path -> !path.getFileName().toString().equals("debug.log")).toList()) {
                Files.copy(log, into.resolve(dataDir.relativize(log).toString().replace("/logs/", "-")
                        .replace('/', '-')));
            }
        }
    }
}
