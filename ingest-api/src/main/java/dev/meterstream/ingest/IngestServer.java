package dev.meterstream.ingest;

import dev.meterstream.support.auth.ApiKeyFilter;
import dev.meterstream.support.auth.Authenticator;
import dev.meterstream.support.auth.KeyRing;
import dev.meterstream.support.auth.Scope;
import dev.meterstream.support.http.ApiDocument;
import dev.meterstream.support.http.FrameworkProblems;
import dev.meterstream.support.http.RequestDecoding;
import dev.meterstream.support.http.ServerTls;
import dev.meterstream.support.http.SlowRequests;
import io.helidon.common.mapper.MapperManager;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * ingest-api assembled: Kafka publisher, usage routes, health (readiness follows Kafka reachability) and metrics.
 * {@link #close()} stops taking requests first and then lets the producer send what it holds.
 */
public final class IngestServer implements AutoCloseable {
    private final WebServer server;
    private final KafkaEventPublisher publisher;
    private final SlowRequests slowRequests;
    private final KeyRing keyRing;

    private IngestServer(final WebServer server, final KafkaEventPublisher publisher,
                         final SlowRequests slowRequests, final KeyRing keyRing) {
        this.server = server;
        this.publisher = publisher;
        this.slowRequests = slowRequests;
        this.keyRing = keyRing;
    }

    /** Starts on {@code server.*} from {@code config}, with settings from the same config. */
    public static IngestServer start(final Config config) {
        return start(config.get("server"), IngestSettings.from(config));
    }

    public static IngestServer start(final Config serverConfig, final IngestSettings settings) {
        // Helidon 4.4 looks the global MapperManager up in its service registry each time a request with a body
        // is routed (to read Content-Length) unless one is set explicitly: that lookup was half this service's
        // CPU under load. Setting the registry's own instance makes it a field read.
        MapperManager.global(MapperManager.global());
        final KafkaEventPublisher publisher = new KafkaEventPublisher(settings);
        SlowRequests slowRequests = null;
        KeyRing keyRing = null;
        try {
            keyRing = KeyRing.start(settings.kafka(), "ingest-api");
            final KeyRing keys = keyRing;
            final Semaphore inFlight = new Semaphore(settings.maxInFlightEvents());
            final IngestMetrics metrics = new IngestMetrics(publisher::bufferAvailableBytes,
                    () -> settings.maxInFlightEvents() - inFlight.availablePermits());
            final UsageService usages = new UsageService(settings, publisher, inFlight, metrics, Clock.systemUTC());
            final WebServerConfig.Builder builder = WebServer.builder();
            slowRequests = SlowRequests.install(builder, serverConfig);
            ServerTls.apply(builder, serverConfig);
            http(builder, settings);
            final WebServer server = builder
                    .shutdownHook(false)
                    .featuresDiscoverServices(false)
                    .addFeature(ObserveFeature.just(
                            HealthObserver.builder()
                                    .details(true)
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(publisher.reachable())
                                            .detail("bootstrap.servers", settings.kafka().bootstrapServers())
                                            .build(), HealthCheckType.READINESS, "kafka")
                                    .addCheck(() -> HealthCheckResponse.builder()
                                            .status(keys.following())
                                            .build(), HealthCheckType.READINESS, "api-keys")
                                    .build(),
                            MetricsObserver.create()))
                    .routing(rules -> routing(rules, keys(settings, Optional.of(keys)), metrics, usages))
                    .build()
                    .start();
            return new IngestServer(server, publisher, slowRequests, keyRing);
        } catch (final RuntimeException e) {
            if (slowRequests != null) {
                slowRequests.close();
            }
            if (keyRing != null) {
                keyRing.close();
            }
            publisher.close();
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
        publisher.close();
    }

    /**
     * Every route of ingest-api: the usages behind the API-key filter, and the OpenAPI document (open); tests mount
     * the same ones. Health and metrics come from the observe feature.
     */
    static void routing(final HttpRouting.Builder routing, final Authenticator keys, final IngestMetrics metrics,
                        final UsageService usages) {
        routing.addFilter(new ApiKeyFilter(keys, "ingest API key", metrics::request)).register(usages);
        ApiDocument.route(routing, "ingest-api");
    }

    /**
     * What the server does before and around the routes; tests set up their servers the same way: Helidon's own
     * refusals as problems, and gzip request bodies inflated no further than the body limit.
     */
    static void http(final WebServerConfig.Builder builder, final IngestSettings settings) {
        FrameworkProblems.install(builder);
        RequestDecoding.install(builder, settings.maxBodyBytes());
    }

    /** Ingest keys: those of the shared keys topic ({@code ring}, if followed) and those configured. */
    static Authenticator keys(final IngestSettings settings, final Optional<KeyRing> ring) {
        return new Authenticator(Set.of(Scope.INGEST), Map.of(Scope.INGEST, settings.apiKeys()), ring);
    }
}
