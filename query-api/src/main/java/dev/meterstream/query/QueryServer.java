package dev.meterstream.query;

import dev.meterstream.support.http.Resource;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import dev.meterstream.support.auth.ApiKeyFilter;
import dev.meterstream.support.auth.Authenticator;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.http.ApiDocument;
import dev.meterstream.support.http.FrameworkProblems;
import dev.meterstream.support.http.RequestDecoding;
import dev.meterstream.support.http.ServerTls;
import dev.meterstream.support.http.SlowRequests;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** query-api assembled: a Cassandra session, the analysts' endpoints and page, health (Cassandra reachable), metrics. */
public final class QueryServer implements AutoCloseable {
    private final WebServer server;
    private final CqlSession session;
    private final MeterDefinitions definitions;
    private final SlowRequests slowRequests;
    private final KeyRing keyRing;

    private QueryServer(final WebServer server, final CqlSession session, final MeterDefinitions definitions,
                        final SlowRequests slowRequests, final KeyRing keyRing) {
        this.server = server;
        this.session = session;
        this.definitions = definitions;
        this.slowRequests = slowRequests;
        this.keyRing = keyRing;
    }

    public static QueryServer start(final Config config) {
        return start(config.get("server"), QuerySettings.from(config));
    }

    public static QueryServer start(final Config serverConfig, final QuerySettings settings) {
        final CqlSession session = settings.cassandra().open();
        MeterDefinitions definitions = null;
        SlowRequests slowRequests = null;
        KeyRing keyRing = null;
        try {
            keyRing = KeyRing.start(settings.kafka(), "query-api");
            final KeyRing keys = keyRing;
            definitions = MeterDefinitions.start(settings.kafka(), settings.eventRules());
            final MeterDefinitions meterDefinitions = definitions;
            final String keyspace = settings.cassandra().keyspace().name();
            final QueryMetrics metrics = new QueryMetrics();
            final Freshness freshness = new Freshness(session, keyspace, settings.freshnessCache());
            final EventQueries events = new EventQueries(session, keyspace);
            final UsageQueries usage = new UsageQueries(session, keyspace, settings.topPageSize());
            final java.time.Duration readTimeout = settings.cassandra().requestTimeout();
            final Endpoints endpoints = new Endpoints(freshness, metrics,
                    () -> new ViewReads(session, settings.limits(), readTimeout));
            final WebServerConfig.Builder builder = WebServer.builder();
            slowRequests = SlowRequests.install(builder, serverConfig);
            ServerTls.apply(builder, serverConfig);
            FrameworkProblems.install(builder);
            // The largest body any route reads; each route still refuses a body over its own limit.
            RequestDecoding.install(builder, Math.max(MeterDefinitionService.MAX_BODY_BYTES, KeyService.MAX_BODY_BYTES));
            final WebServer server = builder
                    .shutdownHook(false)
                    .featuresDiscoverServices(false)
                    .addFeature(ObserveFeature.just(
                            HealthObserver.builder()
                                    .details(true)
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(session.getMetadata().getNodes().values().stream()
                                                    .anyMatch(node -> node.getState() == NodeState.UP))
                                            .build(), HealthCheckType.READINESS, "cassandra")
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(meterDefinitions.following())
                                            .build(), HealthCheckType.READINESS, "meter-definitions")
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(keys.following())
                                            .build(), HealthCheckType.READINESS, "api-keys")
                                    .build(),
                            MetricsObserver.create()))
                    .routing(rules -> routing(rules, keys(settings, Optional.of(keys)), settings, metrics,
                            new UsageEventService(events, endpoints),
                            new SubjectService(settings, events, endpoints, settings.cursors()),
                            new MeterService(settings, usage, endpoints, meterDefinitions,
                                    new DefinedMeterUsage(settings, new DefinedMeterQueries(session, keyspace),
                                            events, meterDefinitions)),
                            new MeterDefinitionService(meterDefinitions, settings.eventRules(), metrics),
                            new KeyService(keys, metrics, java.time.Clock.systemUTC())))
                    .build()
                    .start();
            return new QueryServer(server, session, definitions, slowRequests, keyRing);
        } catch (final RuntimeException e) {
            if (slowRequests != null) {
                slowRequests.close();
            }
            if (keyRing != null) {
                keyRing.close();
            }
            if (definitions != null) {
                definitions.close();
            }
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
        slowRequests.close();
        keyRing.close();
        definitions.close();
        session.close();
    }

    /** Analyst and admin keys: those of the shared keys topic ({@code ring}, if followed) and those configured. */
    static Authenticator keys(final QuerySettings settings, final Optional<KeyRing> ring) {
        return new Authenticator(Set.of(Scope.QUERY, Scope.ADMIN),
                Map.of(Scope.QUERY, settings.apiKeys(), Scope.ADMIN, settings.adminKeys()), ring);
    }

    /**
     * Every route of query-api: one service per resource behind the API-key filter, and the analysts' page (open:
     * it holds no data, and asks for the key) and the OpenAPI document (open). Health and metrics come from the observe
     * feature.
     */
    static void routing(final HttpRouting.Builder routing, final Authenticator keys, final QuerySettings settings,
                        final QueryMetrics metrics, final UsageEventService usages, final SubjectService subjects,
                        final MeterService meters, final MeterDefinitionService definitions,
                        final KeyService apiKeys) {
        routing.addFilter(new ApiKeyFilter(keys, "analyst or admin key",
                        (status, started) -> metrics.request(QueryMetrics.UNAUTHENTICATED, status, started)))
                .addFilter(new TenantRateFilter(settings.limits().tenantRate(),
                        (status, started) -> metrics.request(QueryMetrics.RATE_LIMITED, status, started)))
                .register(UsageEventService.PATH, usages)
                .register(SubjectService.PATH, subjects)
                .register(MeterService.PATH, definitions)
                .register(MeterService.PATH, meters)
                .register(KeyService.PATH, apiKeys);
        Resource.route(routing, "/", Resource.get(new AnalystPage()));
        ApiDocument.route(routing, "query-api");
    }
}
