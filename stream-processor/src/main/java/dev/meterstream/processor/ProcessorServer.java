package dev.meterstream.processor;

import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.Topics;
import dev.meterstream.processor.sink.CassandraSink;
import dev.meterstream.processor.sink.SinkMetrics;
import dev.meterstream.processor.sink.SinkSettings;
import dev.meterstream.processor.topology.ProcessorMetrics;
import dev.meterstream.processor.topology.BackfillTopology;
import dev.meterstream.processor.topology.UsageTopology;
import dev.meterstream.processor.meter.MeterBackfills;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.health.HealthObserverConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * stream-processor assembled: its topics, the Kafka Streams application, the Cassandra sink (its own component
 * with its own consumer group, in this process to save a JVM on small machines), and an HTTP server for health
 * (ready while the application is RUNNING and the sink can write) and metrics.
 */
public final class ProcessorServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProcessorServer.class.getName());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CassandraSink sink;
    private final WebServer server;
    private final Admin admin;
    private final MeterBackfills backfills;

    private ProcessorServer(final KafkaStreams streams, final CassandraSink sink, final WebServer server,
                            final Admin admin, final MeterBackfills backfills) {
        this.streams = streams;
        this.sink = sink;
        this.server = server;
        this.admin = admin;
        this.backfills = backfills;
    }

    /**
     * @param onFailure runs once if a part of the process stops for good (the sink's thread ended, or stream
     *                  threads kept failing): the process should then exit non-zero, so that its supervisor
     *                  restarts it, rather than answer health checks while the views stand still
     */
    public static ProcessorServer start(final Config config, final Runnable onFailure) {
        return start(config.get("server"), ProcessorSettings.from(config), SinkSettings.from(config), onFailure);
    }

    /** Starts the topology, and the Cassandra sink beside it unless the sink settings disable it. */
    public static ProcessorServer start(final Config serverConfig, final ProcessorSettings settings,
                                        final SinkSettings sinkSettings, final Runnable onFailure) {
        final CreatedTopics topics = createTopics(settings);
        final TopicSetup.Replication replication = topics.replication();
        final Runnable failOnce = once(onFailure);
        final KafkaStreams streams = new KafkaStreams(UsageTopology.build(settings.topology(), ProcessorMetrics.global()),
                settings.streamsConfig(replication), new CommitFlushedClients());
        streams.setUncaughtExceptionHandler(new ThreadFailures(failOnce));
        StreamsMetricsExporter.register(streams, Metrics.globalRegistry());
        streams.start();
        final CassandraSink sink = sinkSettings.enabled()
                ? CassandraSink.start(sinkSettings, settings.kafka(), settings.applicationId(),
                        Topics.bySeriesRepartition(settings.applicationId()), new SinkMetrics(Metrics.globalRegistry()),
                        CassandraSink.BeforeCommit.NOTHING, failOnce)
                : null;
        final Admin admin = Admin.create(settings.kafka().config());
        final MeterBackfills backfills = new MeterBackfills(settings.streamsConfig(replication), settings.kafka(),
                settings.rules(),
                (versions, watch) -> BackfillTopology.build(versions, ProcessorMetrics.global(), watch,
                        settings.meterStateEntries()),
                topics.shards(), admin).start();
        final RawLagCheck lag = new RawLagCheck(admin, settings.applicationId(), settings.lagAlarm(),
                java.time.Clock.systemUTC());
        GroupLagGauges.register(Metrics.globalRegistry(), admin, java.time.Clock.systemUTC(), settings.applicationId(),
                List.of(Topics.RAW, Topics.bySeriesRepartition(settings.applicationId())),
                sink == null ? null : sinkSettings.groupId(), CassandraSink.inputTopics(settings.applicationId()));
        final HealthObserverConfig.Builder health = HealthObserver.builder()
                .details(true)
                .addCheck(() -> {
                    final RawLagCheck.Status status = lag.status();
                    return HealthCheckResponse.builder().status(status.ok()).detail("lag", status.detail()).build();
                }, HealthCheckType.READINESS, "raw-lag")
                .addCheck(() -> HealthCheckResponse.builder()
                        .status(streams.state() == KafkaStreams.State.RUNNING)
                        .detail("state", streams.state().name())
                        .build(), HealthCheckType.READINESS, "kafka-streams")
                // A stopped backfill coordinator leaves new meters unbackfilled for good: restart the process.
                .addCheck(() -> HealthCheckResponse.builder()
                        .status(backfills.healthy())
                        .detail("status", backfills.status())
                        .build(), HealthCheckType.LIVENESS, "meter-backfills");
        if (sink != null) {
            health.addCheck(() -> HealthCheckResponse.builder()
                    .status(sink.healthy())
                    .detail("status", sink.status())
                    .build(), HealthCheckType.READINESS, "cassandra-sink");
        }
        final WebServer server = WebServer.builder()
                .config(serverConfig)
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.just(health.build(), MetricsObserver.create()))
                .build()
                .start();
        return new ProcessorServer(streams, sink, server, admin, backfills);
    }

    private static Runnable once(final Runnable action) {
        final java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /**
     * What {@link #createTopics} found: the replication internal topics must have, and the shards (the canonical
     * log's partitions, as many as raw's) every meter version is counted and backfilled over.
     */
    record CreatedTopics(TopicSetup.Replication replication, int shards) {
    }

    /**
     * Creates the topics the topology reads and writes if they are missing, and checks those that exist (see
     * {@link TopicSetup}); returns the replication its internal topics must have and the shards. The canonical log
     * has as many partitions as the raw topic, so that raw partition p's events (IDs p-0, p-1, ...) stay together
     * and in order.
     */
    static CreatedTopics createTopics(final ProcessorSettings settings) {
        try (Admin admin = Admin.create(settings.kafka().config(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000)))) {
            final int rawPartitions = TopicSetup.ensure(admin, TopicSpec.raw(settings.topicPartitions(),
                    settings.rawRetention()));
            for (final TopicSpec output : TopicSpec.processorOutputs(rawPartitions)) {
                TopicSetup.ensure(admin, output);
            }
            // The canonical log has exactly raw's count, or ensure refused it above.
            return new CreatedTopics(TopicSetup.replication(admin), rawPartitions);
        }
    }

    public int port() {
        return server.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Stops taking HTTP requests, stops the sink, then closes Kafka Streams cleanly (its tasks commit and record
     * their stores' offsets, so the next start does not restore them from the changelogs) and leaves the group. Progress goes to stderr:
     * at JVM shutdown, JUL's handlers are closed by its own hook and log records are lost.
     */
    @Override
    public void close() {
        final long started = System.nanoTime();
        server.stop();
        backfills.close();
        admin.close(Duration.ofSeconds(5));
        if (sink != null) {
            sink.close();
        }
        System.err.printf("stream-processor: sink stopped after %d ms; closing Kafka Streams%n",
                (System.nanoTime() - started) / 1_000_000);
        // Leave the group: by default Streams members stay in it after closing (to spare rolling restarts a
        // rebalance), so a restarted instance waited out the old members' session timeout (45 s) before RUNNING.
        final boolean closed = streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        System.err.printf("stream-processor: Kafka Streams %s after %d ms (state %s)%n",
                closed ? "closed" : "NOT closed within " + CLOSE_TIMEOUT, (System.nanoTime() - started) / 1_000_000,
                streams.state());
    }
}
