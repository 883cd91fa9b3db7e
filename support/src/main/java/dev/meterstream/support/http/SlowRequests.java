package dev.meterstream.support.http;

import io.helidon.config.Config;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes the connection of any request not answered within {@code server.request-timeout} of its first line: headers or
 * a body sent a byte at a time (a slowloris), or a client that stops sending half-way. Helidon's own idle timeout
 * does not: it counts from a request's first line and stops only a connection waiting for one, so a connection that
 * keeps sending a little held its place, and its virtual thread, for as long as it liked (SlowClientsTest showed
 * it). Together with {@code server.max-tcp-connections} this bounds what slow clients can hold.
 *
 * <p>The HTTP/1.1 settings under {@code server.protocols.http_1_1} (the header and prologue limits) still apply:
 * {@link #install} reads them into the protocol it registers with this listener.
 */
public final class SlowRequests implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SlowRequests.class.getName());
    /** Under {@code server}: read here, unknown to Helidon (its config builders pass over keys they do not know). */
    public static final String REQUEST_TIMEOUT = "request-timeout";

    private final long timeoutNanos;
    private final Map<ConnectionContext, Long> started = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watch;

    private SlowRequests(final Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("server." + REQUEST_TIMEOUT + " must be positive, was " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "slow-requests");
            thread.setDaemon(true);
            return thread;
        });
        final long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        watch.scheduleAtFixedRate(this::closeSlow, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Registers the watch on {@code builder}, configured from {@code server} (a service's {@code server.*}), with
     * the HTTP/1.1 settings of its {@code protocols.http_1_1}. The caller closes it when the server stops.
     */
    public static SlowRequests install(final WebServerConfig.Builder builder, final Config server) {
        final SlowRequests slow = new SlowRequests(server.get(REQUEST_TIMEOUT).as(Duration.class).get());
        builder.config(server).protocols(List.of(Http1Config.builder()
                .config(server.get("protocols.http_1_1"))
                .addReceiveListener(slow)
                .addSendListener(slow)
                .build()));
        return slow;
    }

    /** A request's first line has been read: its clock starts. */
    @Override
    public void prologue(final ConnectionContext ctx, final HttpPrologue prologue) {
        started.put(ctx, System.nanoTime());
    }

    /** Its answer has started: it is done with reading. */
    @Override
    public void status(final ConnectionContext ctx, final Status status) {
        started.remove(ctx);
    }

    private void closeSlow() {
        final long now = System.nanoTime();
        started.forEach((ctx, since) -> {
            if (now - since > timeoutNanos && started.remove(ctx, since)) {
                LOG.fine(() -> "closing " + ctx.remotePeer().address() + ": no answer within server." + REQUEST_TIMEOUT);
                try {
                    ctx.serverSocket().close();
                } catch (final RuntimeException e) {
                    LOG.fine(() -> "closing a slow connection failed: " + e);
                }
            }
        });
    }

    @Override
    public void close() {
        watch.shutdownNow();
        started.clear();
    }
}
