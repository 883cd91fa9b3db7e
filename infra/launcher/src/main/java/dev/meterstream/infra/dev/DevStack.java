package dev.meterstream.infra.dev;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.infra.haproxy.Haproxy;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.observe.JmxExporter;
import dev.meterstream.infra.observe.Prometheus;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.infra.process.Modules;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole system on one machine: Kafka, Cassandra (with the schema applied), then every service that is built.
 * {@code ./dev up} runs it on the fixed ports with data under {@code .data/} (kept across restarts); a load run
 * runs its own on free ports in a directory of its own.
 */
public final class DevStack implements AutoCloseable {
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    /** Prometheus' own port on ./dev up (its default). */
    private static final int PROMETHEUS_PORT = 9090;
    /** The rules Prometheus evaluates and the board that charts them, relative to the project's root. */
    private static final String RULES = "deploy/prometheus/rules/meterstream.yml";
    private static final String BOARD = "deploy/grafana/dashboards/meterstream-overview.json";

    private final Path root;
    private final StackLayout layout;
    private final PrintStream out;
    private final StackSecurity security;
    private KafkaCluster kafka;
    private CassandraNode cassandra;
    private final List<Running> services = new ArrayList<>();
    /** HAProxy in front of ingest-api's instances, when there are several; else null. */
    private Haproxy ingestProxy;
    /** Prometheus scraping every process, with --observe; else null. */
    private Prometheus prometheus;
    /** Prometheus' scrape port of the JMX exporter agent in each broker and in Cassandra, with --observe. */
    private final Optional<JmxExporter> kafkaMetrics;
    private final Optional<JmxExporter> cassandraMetrics;

    /** A started instance of a service (1, 2, ...), the port it listens on, whether it serves TLS, its process. */
    private record Running(Service service, int instance, int port, boolean tls, JavaProcess process) {
        String url() {
            return (tls ? "https" : "http") + "://127.0.0.1:" + port;
        }
    }

    public DevStack(final Path root, final StackLayout layout, final PrintStream out) {
        this.root = root;
        this.layout = layout;
        this.out = out;
        this.security = layout.secure() ? new StackSecurity(root, layout.dataDir(), layout.overrides()) : null;
        this.kafkaMetrics = layout.observe() ? Optional.of(JmxExporter.forServer(root, "kafka", layout.brokers()))
                : Optional.empty();
        this.cassandraMetrics = layout.observe() ? Optional.of(JmxExporter.forServer(root, "cassandra", 1))
                : Optional.empty();
    }

    /** Kafka and Cassandra start side by side (neither needs the other), then the services in order. */
    public void start() {
        start(bootstrapServers -> { });
    }

    /**
     * As {@link #start()}, calling {@code kafkaUp} with how an admin reaches Kafka before any service starts (the
     * keys topic is made then).
     */
    public void start(final java.util.function.Consumer<KafkaConnection> kafkaUp) {
        final int brokers = layout.brokers();
        // A secure cluster's storage holds its users: it is not the plain one's.
        final String suffix = security == null ? "" : "-secure";
        final Path kafkaDir = layout.dataDir().resolve("kafka-" + brokers + suffix);
        final KafkaSettings plainKafka = layout.freePorts() ? KafkaSettings.ephemeral(brokers, kafkaDir)
                : KafkaSettings.local(brokers, kafkaDir);
        final KafkaSettings plainOrSecure = security == null ? plainKafka : plainKafka.withSecurity(security.kafka());
        final KafkaSettings kafkaSettings = kafkaMetrics.map(plainOrSecure::withMetrics).orElse(plainOrSecure);
        final CompletableFuture<KafkaCluster> startingKafka = CompletableFuture.supplyAsync(
                () -> KafkaCluster.start(kafkaSettings, layout.aotCache()));
        try {
            final Path cassandraDir = layout.dataDir().resolve("cassandra" + suffix);
            final CassandraSettings plainCassandra = layout.freePorts()
                    ? CassandraSettings.ephemeral(cassandraDir).fullSpeed()
                            .withHeapMegabytes(CassandraSettings.DEFAULT_HEAP_MEGABYTES).withJmx()
                    : CassandraSettings.local(cassandraDir);
            final CassandraSettings cassandraSettings = security == null ? plainCassandra
                    : plainCassandra.withSecurity(security.cassandra());
            cassandra = CassandraNode.start(cassandraMetrics.map(cassandraSettings::withMetrics)
                    .orElse(cassandraSettings));
            try (CqlSession session = cassandra.openSession()) {
                CqlSchema.apply(session, CqlSchema.Keyspace.local(ServiceConfig.keyspace()));
            }
            if (security != null) {
                security.grantCassandra(cassandra);
            }
        } finally {
            kafka = joinQuietly(startingKafka);
        }
        startingKafka.join(); // rethrows Kafka's start failure, if any
        out.printf("kafka            %s (%d broker%s, logs in %s)%n", kafka.bootstrapServers(), brokers,
                brokers == 1 ? "" : "s", kafka.settings().dataDir());
        out.printf("cassandra        %s:%d (keyspace %s, logs in %s)%n", cassandra.contactPoint().getHostString(),
                cassandra.contactPoint().getPort(), ServiceConfig.keyspace(), cassandra.settings().dataDir());
        if (security != null) {
            security.grantKafka(kafka);
            out.printf("tls              every hop; clients trust %s (curl --cacert)%n", security.caCertificate());
        }
        kafkaUp.accept(kafka.connection());
        for (final Service service : Service.ALL) {
            if (!service.isBuilt(root)) {
                out.printf("%-16s not built yet; skipped%n", service.module());
                continue;
            }
            final int count = service.scales() ? layout.instances() : 1;
            final boolean proxied = count > 1 && service.module().equals(Modules.INGEST_API);
            final int publicPort = layout.freePorts() ? Ports.free(1).getFirst() : service.port();
            // The documented port is the service's own, or its proxy's; other instances take free ones.
            final List<Integer> ports = new ArrayList<>();
            final List<Integer> free = Ports.free(count);
            for (int i = 0; i < count; i++) {
                ports.add(i == 0 && !proxied ? publicPort : free.get(i));
            }
            for (int i = 0; i < count; i++) {
                services.add(startService(service, i + 1, ports.get(i)));
            }
            if (proxied) {
                ingestProxy = Haproxy.start(service.module(), layout.dataDir().resolve("logs"), publicPort, ports,
                        Service.READY_PATH);
                out.printf("%-16s %s (HAProxy over %d instances, pid %d)%n", service.module(), ingestProxy.url(),
                        count, ingestProxy.process().pid());
            }
        }
        services.forEach(this::awaitReady);
        if (layout.observe()) {
            startPrometheus();
        }
    }

    /** Prometheus over every process of the stack, with the project's rules; the board's data source. */
    private void startPrometheus() {
        final List<Prometheus.Job> jobs = new ArrayList<>();
        for (final Service service : Service.ALL) {
            final List<String> targets = running(service.module())
                    .map(running -> Ports.LOOPBACK + ":" + running.port()).toList();
            if (!targets.isEmpty()) {
                jobs.add(new Prometheus.Job(service.module(), Service.METRICS_PATH, targets));
            }
        }
        if (ingestProxy != null) {
            jobs.add(new Prometheus.Job("haproxy", "/metrics", List.of(ingestProxy.metricsTarget())));
        }
        kafkaMetrics.ifPresent(metrics -> jobs.add(new Prometheus.Job("kafka", "/metrics", metrics.targets())));
        cassandraMetrics.ifPresent(metrics -> jobs.add(new Prometheus.Job("cassandra", "/metrics",
                metrics.targets())));
        final int port = layout.freePorts() ? Ports.free(1).getFirst() : PROMETHEUS_PORT;
        jobs.add(new Prometheus.Job("prometheus", "/metrics", List.of(Ports.LOOPBACK + ":" + port)));
        prometheus = Prometheus.start(layout.dataDir().resolve("prometheus"), port, jobs,
                List.of(root.resolve(RULES)));
        out.printf("%-16s %s (every process every %d s; rules %s; board %s)%n", "prometheus", prometheus.url(),
                Prometheus.SCRAPE_INTERVAL.toSeconds(), RULES, BOARD);
    }

    /** Prometheus, with --observe; empty otherwise. */
    public Optional<Prometheus> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    /** The started cluster, or null if starting it failed (the caller rethrows that failure). */
    private static KafkaCluster joinQuietly(final CompletableFuture<KafkaCluster> starting) {
        try {
            return starting.join();
        } catch (final RuntimeException e) {
            return null;
        }
    }

    private Running startService(final Service service, final int instance, final int port) {
        final Path dataDir = layout.dataDir();
        final String name = instanceName(service, instance);
        // Each processor instance has stores of its own tasks; a secure stack's mirror another cluster's changelogs.
        final String stateDir = "processor-state" + (security == null ? "" : "-secure")
                + (instance == 1 ? "" : "-" + instance);
        final JavaProcess process = JavaProcess.builder(name)
                .classpath(layout.aotCache().isPresent() ? ModuleClasspath.packaged(root, service.module())
                        : ModuleClasspath.of(root, service.module()))
                .jvmArgs("-Xms" + service.heapMegabytes() + "m", "-Xmx" + service.heapMegabytes() + "m",
                        "-XX:+UseG1GC",
                        "-Dserver.port=" + port,
                        "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "-Dcassandra.contact-point=" + cassandra.contactPoint().getHostString() + ":"
                                + cassandra.contactPoint().getPort(),
                        "-Dmeterstream.data-dir=" + dataDir,
                        "-Dprocessor.state-dir=" + dataDir.resolve(stateDir))
                .jvmArgs(keysFile(service))
                .jvmArgs(security == null ? List.of() : security.jvmArgs(service))
                .jvmArgs(layout.overrides().jvmArgs())
                .mainClass(service.mainClass())
                .logFile(dataDir.resolve("logs").resolve(name + ".log"))
                .workingDirectory(root)
                .aotCache(layout.aotCache().orElse(null))
                .start();
        final Running running = new Running(service, instance, port,
                security != null && StackSecurity.servesTls(service), process);
        out.printf("%-16s %s (pid %d, log %s)%n", name, running.url(), process.pid(), process.logFile());
        return running;
    }

    /** The service's module for its first instance, {@code <module>-<n>} for the others (processes, logs). */
    private static String instanceName(final Service service, final int instance) {
        return instance == 1 ? service.module() : service.module() + "-" + instance;
    }

    private String[] keysFile(final Service service) {
        final List<String> args = new ArrayList<>();
        switch (service.module()) {
            case Modules.INGEST_API -> keysFile(args, "auth.keys-file", layout.ingestKeysFile());
            case Modules.QUERY_API -> {
                keysFile(args, "auth.keys-file", layout.queryKeysFile());
                keysFile(args, "auth.admin.keys-file", layout.adminKeysFile());
            }
            default -> { }
        }
        return args.toArray(String[]::new);
    }

    private static void keysFile(final List<String> args, final String key, final Path file) {
        if (file != null) {
            args.add("-D" + key + "=" + file);
        }
    }

    /**
     * Waits until the service's readiness answers 200; if it does not in time, fails naming the service and what
     * its readiness said last (each check's status and detail), so that no one is told "ready" when a part is not.
     */
    private void awaitReady(final Running running) {
        final Service service = running.service();
        final JavaProcess process = running.process();
        final String readyUrl = running.url() + Service.READY_PATH;
        final HttpClient client = httpClient();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(readyUrl))
                .timeout(Duration.ofSeconds(5)).GET().build();
        final String[] lastAnswer = {"no answer"};
        try {
            Await.until(service.module() + " to report ready at " + readyUrl, SERVICE_READY_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new Await.GaveUp(service.module() + " exited; see " + process.logFile());
                }
                final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                lastAnswer[0] = response.statusCode() + " " + response.body();
                return response.statusCode() == 200 || response.statusCode() == 204;
            });
        } catch (final Await.GaveUp e) {
            throw e;
        } catch (final IllegalStateException e) {
            throw new IllegalStateException(service.module() + " is not ready after "
                    + SERVICE_READY_TIMEOUT.toSeconds() + " s: its readiness answered " + lastAnswer[0] + "; see "
                    + process.logFile(), e);
        }
    }

    /** An HTTP client for the stack's APIs: trusting the local CA when the stack is secure. */
    public HttpClient httpClient() {
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (security != null) {
            builder.sslContext(security.clientTls());
        }
        return builder.build();
    }

    /** The Kafka cluster (for fault stages: kill and restart a broker). */
    public KafkaCluster kafka() {
        return kafka;
    }

    public CassandraNode cassandra() {
        return cassandra;
    }

    /**
     * The base URL of a started service, by module name (ingest-api, query-api, stream-processor): its proxy's when
     * it runs several instances behind one, else its first instance's.
     */
    public String url(final String module) {
        if (ingestProxy != null && module.equals(Modules.INGEST_API)) {
            return ingestProxy.url();
        }
        return running(module).findFirst().map(Running::url)
                .orElseThrow(() -> new IllegalStateException(module + " is not running"));
    }

    /** The base URL of each instance of a started service, in order (each instance's own metrics). */
    public List<String> urls(final String module) {
        return running(module).map(Running::url).toList();
    }

    /** The processes of a service's instances, in order (for fault stages: kill one). */
    public List<JavaProcess> instances(final String module) {
        return running(module).map(Running::process).toList();
    }

    /** A service's started instances, in order. */
    private Stream<Running> running(final String module) {
        return services.stream().filter(running -> running.service().module().equals(module));
    }

    /** Every process of the stack, for reporting. */
    public List<JavaProcess> processes() {
        final List<JavaProcess> all = new ArrayList<>();
        if (kafka != null) {
            all.addAll(kafka.processes());
        }
        if (cassandra != null && cassandra.process() != null) {
            all.add(cassandra.process());
        }
        services.forEach(running -> all.add(running.process()));
        if (ingestProxy != null) {
            all.add(ingestProxy.process());
        }
        if (prometheus != null) {
            all.add(prometheus.process());
        }
        return all;
    }

    /** Services first (they drain in-flight work into Kafka and Cassandra), then Kafka and Cassandra together. */
    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (ingestProxy != null) {
            ingestProxy.close();
        }
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
