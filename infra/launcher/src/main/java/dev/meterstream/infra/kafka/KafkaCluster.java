package dev.meterstream.infra.kafka;

import dev.meterstream.infra.process.AotCache;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.PrivateFiles;
import dev.meterstream.infra.process.ServerClasspath;
import dev.meterstream.support.kafka.KafkaConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster in KRaft mode made of real broker JVMs, started from the {@code kafka_2.13} artifacts on Maven
 * Central: the same classes the official distribution's scripts run.
 *
 * <p>Storage is formatted once (on first start) and kept, so a restart finds its topics and offsets again. A data
 * directory belongs to one cluster shape: starting it with another broker count is refused rather than producing
 * a quorum that can never form.
 */
public final class KafkaCluster implements KafkaEndpoint {
    private static final String BROKER_MAIN = "kafka.Kafka";
    private static final String STORAGE_TOOL_MAIN = "kafka.tools.StorageTool";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final KafkaSettings settings;
    private final List<Path> classpath;
    private final JavaProcess[] nodes;
    private final Optional<AotCache> aotCache;

    private KafkaCluster(final KafkaSettings settings, final Optional<AotCache> aotCache) {
        this.settings = settings;
        this.aotCache = aotCache;
        this.classpath = ServerClasspath.KAFKA.entries();
        this.nodes = new JavaProcess[settings.brokers()];
    }

    /** Formats storage if needed, starts every node, and returns once all brokers are registered. */
    public static KafkaCluster start(final KafkaSettings settings) {
        return start(settings, Optional.empty());
    }

    /** As {@link #start(KafkaSettings)}, the nodes using (or training) ahead-of-time caches in {@code aotCache}. */
    public static KafkaCluster start(final KafkaSettings settings, final Optional<AotCache> aotCache) {
        final KafkaCluster cluster = new KafkaCluster(settings, aotCache);
        try {
            cluster.prepare();
            for (int i = 0; i < settings.brokers(); i++) {
                cluster.startNode(i);
            }
            cluster.awaitReady();
            return cluster;
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return settings.brokerPorts().stream().map(port -> Ports.LOOPBACK + ":" + port)
                .collect(Collectors.joining(","));
    }

    /**
     * How the launcher's own clients reach the cluster: plaintext, or as {@value KafkaSecurity#ADMIN_USER} over
     * TLS on a secure cluster.
     */
    @Override
    public KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers(),
                settings.security().map(KafkaSecurity::adminClient).orElse(Map.of()));
    }

    @Override
    public int brokers() {
        return settings.brokers();
    }

    public KafkaSettings settings() {
        return settings;
    }

    /** The running node processes, for reporting (PIDs, memory) and fault tests. */
    public List<JavaProcess> processes() {
        return java.util.Arrays.stream(nodes).filter(java.util.Objects::nonNull).toList();
    }

    /** Kills node {@code i} at once (SIGKILL), as a crash would. */
    public void kill(final int i) {
        if (nodes[i] != null) {
            nodes[i].kill();
            nodes[i] = null;
        }
    }

    /** Stops node {@code i} cleanly (SIGTERM and wait). */
    public void stop(final int i) {
        if (nodes[i] != null) {
            nodes[i].stop(STOP_GRACE);
            nodes[i] = null;
        }
    }

    /** Starts node {@code i} again after {@link #kill} or {@link #stop}, and waits until every broker is back. */
    public void restart(final int i) {
        if (nodes[i] != null) {
            throw new IllegalStateException("kafka-" + i + " is running");
        }
        startNode(i);
        awaitReady();
    }

    /**
     * Stops every node at once: a combined node's controlled shutdown needs a controller majority, so stopping
     * them one by one would leave the last one waiting for a quorum that is already gone.
     */
    @Override
    public void close() {
        for (final JavaProcess node : nodes) {
            if (node != null) {
                node.requestStop();
            }
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                nodes[i].awaitStop(STOP_GRACE);
                nodes[i] = null;
            }
        }
    }

    private Path nodeDir(final int i) {
        return settings.dataDir().resolve("node-" + i);
    }

    private void prepare() {
        try {
            Files.createDirectories(settings.dataDir());
            final Path shapeFile = settings.dataDir().resolve("brokers");
            final String shape = Integer.toString(settings.brokers());
            if (Files.exists(shapeFile)) {
                final String existing = Files.readString(shapeFile).trim();
                if (!existing.equals(shape)) {
                    throw new IllegalStateException(settings.dataDir() + " holds a " + existing + "-broker cluster, not "
                            + shape + "; use another data directory or delete it");
                }
            }
            final Path logConfig = settings.dataDir().resolve("log4j2.xml");
            try (InputStream in = KafkaCluster.class.getResourceAsStream("/dev/meterstream/infra/kafka-log4j2.xml")) {
                Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
            }
            for (int i = 0; i < settings.brokers(); i++) {
                Files.createDirectories(nodeDir(i).resolve("logs"));
                writeProperties(nodeDir(i).resolve("server.properties"), serverProperties(i));
            }
            if (!Files.exists(nodeDir(0).resolve("data/meta.properties"))) {
                format();
            }
            Files.writeString(shapeFile, shape + "\n");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Formats every node's storage with one cluster id and, for a quorum, each controller's directory id. */
    private void format() {
        final String clusterId = Uuid.randomUuid().toString();
        final List<String> initialControllers = new ArrayList<>();
        for (int i = 0; i < settings.brokers(); i++) {
            initialControllers.add(i + "@" + Ports.LOOPBACK + ":" + settings.controllerPorts().get(i) + ":"
                    + Uuid.randomUuid());
        }
        final List<JavaProcess> tools = IntStream.range(0, settings.brokers()).mapToObj(i -> {
            final List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c",
                    nodeDir(i).resolve("server.properties").toString()));
            settings.security().ifPresent(security -> args.addAll(security.formatArguments()));
            if (settings.brokers() == 1) {
                args.add("--standalone");
            } else {
                args.add("--initial-controllers");
                args.add(String.join(",", initialControllers));
            }
            return baseProcess("kafka-format-" + i, i)
                    .mainClass(STORAGE_TOOL_MAIN)
                    .args(args.toArray(String[]::new))
                    .logFile(nodeDir(i).resolve("logs/format.log"))
                    .start();
        }).toList();
        for (final JavaProcess tool : tools) {
            final int exit = tool.awaitExit(FORMAT_TIMEOUT);
            if (exit != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (exit " + exit + "); see "
                        + tool.logFile());
            }
        }
    }

    private JavaProcess.Builder baseProcess(final String name, final int i) {
        return JavaProcess.builder(name)
                .classpath(classpath)
                .jvmArgs("-Xms" + settings.heapMegabytes() + "m", "-Xmx" + settings.heapMegabytes() + "m",
                        "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                        "-Dkafka.logs.dir=" + nodeDir(i).resolve("logs"),
                        "-Dlog4j2.configurationFile=" + settings.dataDir().resolve("log4j2.xml").toUri());
    }

    private void startNode(final int i) {
        nodes[i] = baseProcess("kafka-" + i, i)
                .jvmArgs(settings.metrics().map(metrics -> List.of(metrics.jvmArg(i))).orElse(List.of()))
                .aotCache(aotCache.orElse(null))
                .mainClass(BROKER_MAIN)
                .args(nodeDir(i).resolve("server.properties").toString())
                .logFile(nodeDir(i).resolve("logs/console.log"))
                .start();
    }

    private void awaitReady() {
        Await.until("Kafka to listen on " + bootstrapServers(), READY_TIMEOUT, () -> {
            requireNodesAlive();
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && !Ports.listening(settings.brokerPorts().get(i))) {
                    return false;
                }
            }
            return true;
        });
        try (Admin admin = Admin.create(connection().config(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000")))) {
            Await.until(settings.brokers() + " Kafka broker(s) registered at " + bootstrapServers(), READY_TIMEOUT, () -> {
                requireNodesAlive();
                return admin.describeCluster().nodes().get().size() == settings.brokers();
            });
        }
    }

    /** Ends a wait at once if a started node has exited: it will not become ready. */
    private void requireNodesAlive() {
        for (final JavaProcess node : nodes) {
            if (node != null && !node.isAlive()) {
                throw new Await.GaveUp(node + " exited; see " + node.logFile().getParent());
            }
        }
    }

    private Map<String, String> serverProperties(final int i) {
        final String rf = Short.toString(settings.replicationFactor());
        final String minIsr = Integer.toString(settings.minInSyncReplicas());
        final Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(i));
        final String clientListener = settings.security().map(KafkaSecurity::clientListener).orElse("PLAINTEXT");
        final String listeners = clientListener + "://" + Ports.LOOPBACK + ":" + settings.brokerPorts().get(i)
                + ",CONTROLLER://" + Ports.LOOPBACK + ":" + settings.controllerPorts().get(i);
        p.put("listeners", listeners);
        p.put("advertised.listeners", listeners);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        settings.security().ifPresent(security -> p.putAll(security.serverProperties()));
        p.put("controller.quorum.bootstrap.servers", settings.controllerPorts().stream()
                .map(port -> Ports.LOOPBACK + ":" + port).collect(Collectors.joining(",")));
        p.put("log.dirs", nodeDir(i).resolve("data").toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "6");
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "3");
        p.put("num.io.threads", "4");
        // On a starved 2-core box the defaults let a slow fetch look like a dead leader and trigger elections
        // that stall producers for seconds; these were found to keep the quorum stable there.
        p.put("controller.quorum.fetch.timeout.ms", "10000");
        p.put("controller.quorum.election.timeout.ms", "3000");
        // Local clusters keep a day of data: enough to replay, small enough for a laptop's disk.
        p.put("log.retention.hours", "24");
        p.put("log.segment.bytes", Integer.toString(128 * 1024 * 1024));
        p.putAll(settings.overrides());
        return p;
    }

    /** Owner-only: on a secure cluster it holds the keystore's and the brokers' passwords. */
    private static void writeProperties(final Path file, final Map<String, String> properties) {
        final StringBuilder text = new StringBuilder("# written by meterstream's KafkaCluster; edits are overwritten\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        PrivateFiles.write(file, text);
    }
}
