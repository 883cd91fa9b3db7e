package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/** query-api assembled: a Cassandra session, the analysts' endpoints and page, health (Cassandra reachable), metrics. */
public final class QueryServer implements AutoCloseable {
    private final WebServer server;
    private final CqlSession session;

    private QueryServer(final WebServer server, final CqlSession session) {
        this.server = server;
        this.session = session;
    }

    public static QueryServer start(final Config config) {
        return start(config.get("server"), QuerySettings.from(config));
    }

    public static QueryServer start(final Config serverConfig, final QuerySettings settings) {
        final CqlSession session = settings.cassandra().open();
        try {
            final String keyspace = settings.cassandra().keyspace().name();
            final QueryService queries = new QueryService(settings, new EventQueries(session, keyspace),
                    new UsageQueries(session, keyspace, settings.topPageSize()), new Freshness(session, keyspace, settings.freshnessCache()),
                    new QueryMetrics());
            final WebServer server = WebServer.builder()
                    .config(serverConfig)
                    .shutdownHook(false)
                    .featuresDiscoverServices(false)
                    .addFeature(ObserveFeature.just(
                            HealthObserver.builder()
                                    .details(true)
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(session.getMetadata().getNodes().values().stream()
                                                    .anyMatch(node -> node.getState() == NodeState.UP))
                                            .build(), HealthCheckType.READINESS, "cassandra")
                                    .build(),
                            MetricsObserver.create()))
                    .routing(rules -> routing(rules, queries))
                    .build()
                    .start();
            return new QueryServer(server, session);
        } catch (final RuntimeException e) {
            session.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        session.close();
    }

    /** Every route of query-api; tests mount the same ones. Health and metrics come from the observe feature. */
    static void routing(final HttpRouting.Builder routing, final QueryService queries) {
        routing.register(queries).get("/", new AnalystPage());
    }
}
