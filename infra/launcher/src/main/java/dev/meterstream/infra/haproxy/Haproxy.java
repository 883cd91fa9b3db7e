package dev.meterstream.infra.haproxy;

import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.Supervised;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy (the Debian package) in front of several instances of one HTTP service, on the loopback address: round
 * robin over the instances whose readiness answers 200, checked every second, so a dead or unready instance leaves
 * the rotation within about two seconds. It retries a request on another instance only when the connection could
 * not be made (HAProxy's default {@code retry-on connect-failure}): a request that reached an instance is never sent
 * twice by the proxy; the producer's retry with the same event id is what makes a lost answer safe.
 */
public final class Haproxy implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final JavaProcess process;
    private final int port;
    private final int metricsPort;

    private Haproxy(final JavaProcess process, final int port, final int metricsPort) {
        this.process = process;
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts HAProxy on {@code port} before {@code backendPorts}, and returns once it listens.
     *
     * @param name       the service's name (the child's name, the config's frontend and backend)
     * @param dir        where its configuration and log go
     * @param healthPath what each instance answers 200 on when it is ready
     */
    public static Haproxy start(final String name, final Path dir, final int port, final List<Integer> backendPorts,
                                final String healthPath) {
        final Path config = dir.resolve(name + "-haproxy.cfg");
        final int metricsPort = Ports.free(1).getFirst();
        try {
            Files.createDirectories(dir);
            Files.writeString(config, config(name, port, backendPorts, healthPath, metricsPort));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        final JavaProcess process = Supervised.start(name + "-haproxy", "haproxy",
                "runs several instances behind one port", List.of("-f", config.toString(), "-db"),
                dir.resolve(name + "-haproxy.log"));
        final Haproxy haproxy = new Haproxy(process, port, metricsPort);
        try {
            Await.until("HAProxy to listen on " + port, READY_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new Await.GaveUp("HAProxy exited; see " + process.logFile());
                }
                return Ports.listening(port);
            });
            return haproxy;
        } catch (final RuntimeException e) {
            haproxy.close();
            throw e;
        }
    }

    /**
     * The configuration: one frontend, one backend, a readiness check per instance, and HAProxy's own Prometheus
     * exporter on {@code metricsPort} ({@code /metrics}).
     */
    static String config(final String name, final int port, final List<Integer> backendPorts,
                         final String healthPath, final int metricsPort) {
        final StringBuilder text = new StringBuilder();
        text.append("# written by meterstream's launcher; edits are overwritten\n")
                .append("global\n")
                // one thread: on a small machine the services need the cores more than the proxy does
                .append("  nbthread 1\n")
                // each connection is two descriptors (client and server): within a 20,000 descriptor limit
                .append("  maxconn 4096\n")
                .append("defaults\n")
                .append("  mode http\n")
                .append("  option http-keep-alive\n")
                .append("  timeout connect 2s\n")
                .append("  timeout client 60s\n")
                .append("  timeout server 60s\n")
                // a slow client's request line and headers, as the services' own server.request-timeout
                .append("  timeout http-request 30s\n")
                .append("  retries 2\n")
                .append("  option redispatch\n")
                .append("frontend ").append(name).append('\n')
                .append("  bind ").append(Ports.LOOPBACK).append(':').append(port).append('\n')
                .append("  default_backend ").append(name).append('\n')
                .append("frontend ").append(name).append("-metrics\n")
                .append("  bind ").append(Ports.LOOPBACK).append(':').append(metricsPort).append('\n')
                .append("  http-request use-service prometheus-exporter if { path /metrics }\n")
                .append("backend ").append(name).append('\n')
                .append("  balance roundrobin\n")
                // HTTP/1.1 with a Host: the services' server does not answer HTTP/1.0, HAProxy's default check
                .append("  option httpchk\n")
                .append("  http-check send meth GET uri ").append(healthPath).append(" ver HTTP/1.1 hdr Host ")
                .append(Ports.LOOPBACK).append('\n')
                .append("  http-check expect status 200\n")
                .append("  default-server inter 1s fall 2 rise 2\n");
        for (int i = 0; i < backendPorts.size(); i++) {
            text.append("  server ").append(name).append('-').append(i + 1).append(' ').append(Ports.LOOPBACK)
                    .append(':').append(backendPorts.get(i)).append(" check\n");
        }
        return text.toString();
    }

    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    /** Where HAProxy's own metrics answer ({@code host:port}, path {@code /metrics}). */
    public String metricsTarget() {
        return Ports.LOOPBACK + ":" + metricsPort;
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
