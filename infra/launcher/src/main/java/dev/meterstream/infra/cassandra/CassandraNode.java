package dev.meterstream.infra.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Jdk;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.PrivateFiles;
import dev.meterstream.infra.process.ServerClasspath;
import dev.meterstream.support.cassandra.CqlSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Cassandra node ({@code org.apache.cassandra:cassandra-all}) in its own JVM, on a JDK it supports, tuned to
 * start quickly on a small machine: one token, no gossip settling, small memtables, no JMX unless asked for.
 */
public final class CassandraNode implements CassandraEndpoint {
    public static final String DATACENTER = "datacenter1";
    private static final String MAIN = "org.apache.cassandra.service.CassandraDaemon";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Cassandra flushes memtables on SIGTERM; on a busy box that takes a while. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    /** The module opens and exports Cassandra 5.0 needs on JDK 17 (its conf/jvm17-server.options). */
    private static final List<String> JDK17_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final CassandraSettings settings;
    private JavaProcess process;

    private CassandraNode(final CassandraSettings settings) {
        this.settings = settings;
    }

    /** Starts the node and returns once it answers CQL. */
    public static CassandraNode start(final CassandraSettings settings) {
        final CassandraNode node = new CassandraNode(settings);
        try {
            node.startProcess();
            node.awaitReady();
            return node;
        } catch (final RuntimeException e) {
            node.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(Ports.LOOPBACK, settings.nativePort());
    }

    @Override
    public String datacenter() {
        return DATACENTER;
    }

    @Override
    public CqlSecurity security() {
        return settings.security().map(CassandraSecurity::admin).orElse(CqlSecurity.NONE);
    }

    public CassandraSettings settings() {
        return settings;
    }

    /** The node's process, or null while it is stopped. */
    public JavaProcess process() {
        return process;
    }

    /** Stops the node cleanly (it flushes), keeping its data. */
    public void stop() {
        if (process != null) {
            process.stop(STOP_GRACE);
            process = null;
        }
    }

    /** Kills the node at once (SIGKILL), as a crash would; the commit log replays on the next start. */
    public void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Starts the node again after {@link #stop} or {@link #kill}, on the same ports and data. */
    public void restart() {
        if (process != null) {
            throw new IllegalStateException("cassandra is running");
        }
        startProcess();
        awaitReady();
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() {
        final Path dir = settings.dataDir().toAbsolutePath();
        try {
            final Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("logs"));
            final String yaml = resource("cassandra.yaml")
                    .replace("{{dir}}", dir.toString())
                    .replace("{{native_port}}", Integer.toString(settings.nativePort()))
                    .replace("{{storage_port}}", Integer.toString(settings.storagePort()))
                    .replace("{{memtable_space}}", settings.memtableMegabytes() + "MiB")
                    .replace("{{security}}", settings.security().map(CassandraSecurity::yaml)
                            .orElseGet(CassandraSecurity::openYaml));
            // Owner-only: on a secure node it holds the keystore's password.
            PrivateFiles.write(conf.resolve("cassandra.yaml"), yaml);
            Files.writeString(conf.resolve("logback.xml"), resource("cassandra-logback.xml"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Jdk jdk = Jdk.find(11, 17, settings.javaHome(), "Cassandra 5.0 (set "
                + CassandraSettings.JAVA_HOME_VARIABLE + " to choose one)");
        final List<String> jvm = new ArrayList<>(List.of(
                "-Xms" + settings.heapMegabytes() + "m", "-Xmx" + settings.heapMegabytes() + "m",
                "-Xss256k", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=300", "-XX:+ParallelRefProcEnabled",
                "-XX:MaxDirectMemorySize=512m", "-Djava.awt.headless=true",
                "-Dcassandra.config=" + dir.resolve("conf/cassandra.yaml").toUri(),
                "-Dcassandra.storagedir=" + dir,
                "-Dcassandra.logdir=" + dir.resolve("logs"),
                "-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml").toUri(),
                "-Dcassandra-foreground=true",
                // a single node has no one to gossip with: don't wait for gossip or a ring delay
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                // Skips measuring a row's overhead at start-up. Cassandra 5.0.9 also reads it as the size limit, in
                // MiB, of every InMemoryTrie (SAI's memtable index, the trie memtable): 180 MiB here, not 1,861
                // (CASSANDRA-21699); harmless at this node's memtable sizes.
                "-Dcassandra.memtable.row_overhead_size=180"));
        if (settings.jmxPort() > 0) {
            // Cassandra binds its "local" JMX to the loopback address only, without authentication.
            jvm.add("-Dcassandra.jmx.local.port=" + settings.jmxPort());
        }
        settings.metrics().ifPresent(metrics -> jvm.add(metrics.jvmArg(0)));
        if (settings.quickStart()) {
            // C1 only. Not -Dcassandra.unsafesystem: with it a killed node came back without its schema.
            jvm.add("-XX:TieredStopAtLevel=1");
        }
        jvm.addAll(JDK17_FLAGS);
        process = JavaProcess.builder("cassandra")
                .jdk(jdk)
                .classpath(ServerClasspath.CASSANDRA.entries())
                .jvmArgs(jvm)
                .mainClass(MAIN)
                .logFile(dir.resolve("logs/console.log"))
                .workingDirectory(dir)
                .start();
    }

    private void awaitReady() {
        Await.until("Cassandra to listen for CQL on port " + settings.nativePort(), READY_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new Await.GaveUp("cassandra exited; see " + settings.dataDir().resolve("logs"));
            }
            return Ports.listening(settings.nativePort());
        });
        settings.security().ifPresent(security -> CassandraAdmin.ensure(this, security));
        Await.until("Cassandra to answer a CQL query", Duration.ofSeconds(60), () -> {
            try (CqlSession session = openSession()) {
                return session.execute("SELECT release_version FROM system.local").one() != null;
            }
        });
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = CassandraNode.class.getResourceAsStream("/dev/meterstream/infra/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
