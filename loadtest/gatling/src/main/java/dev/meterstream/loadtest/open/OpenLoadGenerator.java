package dev.meterstream.loadtest.open;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An open-model HTTP load generator on one thread: requests arrive on the {@link ArrivalSchedule}, each is sent on a
 * free keep-alive connection (a new one is opened while fewer than {@code maxConnections} are, otherwise it waits
 * for one), and every answer is recorded in {@link IngestLoad}. Response times count from the arrival, so time a
 * request waited for a connection is in them. Requests and responses are handled as bytes with non-blocking I/O,
 * so that the generator costs a small fraction of what it measures (Gatling cost 0.4-1.4 ms of CPU per request on
 * this machine; the issue asks for 0.05).
 *
 * <p>A request on a reused connection that the server had closed before answering any byte of it is sent again
 * on a new connection (as HTTP clients do for a stale keep-alive connection); an event id makes a re-send harmless.
 * A request unanswered after {@code timeoutMillis} is recorded with no status, and its connection closed.
 *
 * <p>With {@code retries} above 0 the generator is a producer that follows the README: a request whose connection
 * failed, or that was answered 502, 503 or 504 (an instance behind the proxy died with it, or was not ready), is
 * sent again at once with the same body, so the same event ids, up to {@code retries} times. Its response time still
 * counts from its first arrival. A request that timed out is not sent again: it has had its time.
 */
final class OpenLoadGenerator {
    private static final int READ_BUFFER = 16 * 1024;
    /** Answers a producer sends again (the proxy's bad gateway and timeout, the service not available). */
    private static final Set<Integer> RETRIED_STATUSES = Set.of(502, 503, 504);

    /** A request from its arrival until its answer. */
    private static final class Exchange {
        final IngestLoad.Request request;
        final long arrivalNanos;
        final ByteBuffer bytes;
        boolean resent;
        int retries;

        Exchange(final IngestLoad.Request request, final long arrivalNanos, final ByteBuffer bytes) {
            this.request = request;
            this.arrivalNanos = arrivalNanos;
            this.bytes = bytes;
        }
    }

    /** One keep-alive connection and the exchange on it, if any. */
    private final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        byte[] in = new byte[READ_BUFFER];
        int inLength;
        Exchange exchange;
        boolean used;
        boolean connected;
        boolean closed;

        Connection() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            // A loopback connection may be established at once, and then no OP_CONNECT follows.
            connected = channel.connect(address);
        }
    }

    private final IngestLoad load;
    private final List<byte[]> headers;
    private final InetSocketAddress address;
    private final ArrivalSchedule schedule;
    private final int maxConnections;
    private final long timeoutNanos;
    private final int retries;
    private final Selector selector;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final Set<Connection> busy = new HashSet<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private int open;
    private int connecting;

    /**
     * @param url            ingest-api's base URL (http only)
     * @param keys           one API key per tenant, as IngestLoad numbers them
     * @param maxConnections connections open at most
     * @param timeoutMillis  how long a request may wait for its answer, from its arrival
     * @param retries        how many times a request that failed or got 502, 503 or 504 is sent again (0: never)
     */
    OpenLoadGenerator(final IngestLoad load, final URI url, final List<String> keys, final ArrivalSchedule schedule,
                      final int maxConnections, final long timeoutMillis, final int retries) throws IOException {
        this.load = load;
        this.retries = retries;
        this.schedule = schedule;
        this.maxConnections = maxConnections;
        this.timeoutNanos = timeoutMillis * 1_000_000;
        this.address = new InetSocketAddress(url.getHost(), url.getPort());
        this.headers = new ArrayList<>();
        for (final String key : keys) {
            headers.add(("POST /api/usages HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII));
        }
        this.selector = Selector.open();
    }

    /** Runs the schedule, then waits for the answers still due (at most the timeout), and closes everything. */
    void run() throws IOException {
        final long start = System.nanoTime();
        final double length = schedule.seconds();
        long arrived = 0;
        long nextTimeoutScan = start;
        try {
            while (true) {
                final long now = System.nanoTime();
                final double elapsed = (now - start) / 1e9;
                final long due = schedule.arrivalsBy(Math.min(elapsed, length));
                for (; arrived < due; arrived++) {
                    arrive(now);
                }
                if (now >= nextTimeoutScan) {
                    expire(now);
                    nextTimeoutScan = now + 50_000_000;
                }
                if (elapsed >= length && busy.isEmpty() && waiting.isEmpty() && connecting == 0
                        || elapsed >= length + timeoutNanos / 1e9 + 5) {
                    return;
                }
                final long nextArrival = elapsed >= length ? Long.MAX_VALUE : nanosUntil(arrived + 1, start, now);
                final long waitMillis = Math.min(50, nextArrival / 1_000_000);
                if (waitMillis <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis);
                }
                for (final SelectionKey key : selector.selectedKeys()) {
                    handle(key, System.nanoTime());
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (final SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    /** Nanoseconds from {@code now} until arrival number {@code n} is due (0 if it is). */
    private long nanosUntil(final long n, final long start, final long now) {
        // Arrivals are dense at load-test rates; probe forward in 1 ms steps, at most 50.
        for (int ms = 0; ms <= 50; ms++) {
            final long at = now + ms * 1_000_000L;
            if (schedule.arrivalsBy(Math.min((at - start) / 1e9, schedule.seconds())) >= n) {
                return ms * 1_000_000L;
            }
        }
        return 50_000_000L;
    }

    private void arrive(final long now) throws IOException {
        final IngestLoad.Request request = load.next();
        if (request == null) {
            return;
        }
        final byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        final byte[] head = headers.get(request.tenant());
        final byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer bytes = ByteBuffer.allocate(head.length + length.length + body.length);
        bytes.put(head).put(length).put(body).flip();
        send(new Exchange(request, now, bytes));
    }

    private void send(final Exchange exchange) throws IOException {
        final Connection connection = idle.pollFirst();
        if (connection != null) {
            start(connection, exchange);
        } else if (open < maxConnections) {
            final Connection fresh;
            try {
                fresh = new Connection();
            } catch (final IOException e) {
                // No connection could be opened (out of file descriptors, say): the request gets no answer.
                load.completed(exchange.request, null, null);
                return;
            }
            open++;
            fresh.exchange = exchange;
            busy.add(fresh);
            if (fresh.connected) {
                write(fresh);
            } else {
                connecting++;
            }
        } else {
            waiting.addLast(exchange);
        }
    }

    private void start(final Connection connection, final Exchange exchange) throws IOException {
        connection.exchange = exchange;
        busy.add(connection);
        write(connection);
    }

    private void write(final Connection connection) throws IOException {
        try {
            connection.channel.write(connection.exchange.bytes);
        } catch (final IOException e) {
            failed(connection, e);
            return;
        }
        connection.key.interestOps(connection.exchange.bytes.hasRemaining()
                ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
    }

    private void handle(final SelectionKey key, final long now) throws IOException {
        final Connection connection = (Connection) key.attachment();
        if (!key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            connecting--;
            connection.connected = true;
            try {
                connection.channel.finishConnect();
            } catch (final IOException e) {
                failed(connection, e);
                return;
            }
            write(connection);
            return;
        }
        if (key.isWritable() && connection.exchange != null) {
            write(connection);
        }
        if (key.isReadable()) {
            read(connection, now);
        }
    }

    private void read(final Connection connection, final long now) throws IOException {
        if (connection.inLength == connection.in.length) {
            connection.in = java.util.Arrays.copyOf(connection.in, connection.in.length * 2);
        }
        final int read;
        try {
            read = connection.channel.read(ByteBuffer.wrap(connection.in, connection.inLength,
                    connection.in.length - connection.inLength));
        } catch (final IOException e) {
            failed(connection, e);
            return;
        }
        if (read > 0) {
            connection.inLength += read;
        }
        final boolean closed = read < 0;
        if (connection.exchange == null) {
            // An idle connection: the server closed it, or sent what nobody asked for.
            if (closed || read > 0) {
                close(connection);
                idle.remove(connection);
            }
            return;
        }
        final ResponseParser.Response response = ResponseParser.parse(connection.in, connection.inLength, closed);
        if (response == null) {
            if (closed) {
                if (connection.inLength == 0 && connection.used && !connection.exchange.resent) {
                    // A stale keep-alive connection: send the request again on a new one.
                    final Exchange again = connection.exchange;
                    again.resent = true;
                    again.bytes.rewind();
                    connection.exchange = null;
                    busy.remove(connection);
                    close(connection);
                    send(again);
                } else {
                    failed(connection, new IOException("connection closed before the answer was complete"));
                }
            }
            return;
        }
        final Exchange done = connection.exchange;
        connection.exchange = null;
        connection.used = true;
        System.arraycopy(connection.in, response.length(), connection.in, 0, connection.inLength - response.length());
        connection.inLength -= response.length();
        busy.remove(connection);
        final boolean again = RETRIED_STATUSES.contains(response.status()) && retry(done);
        if (!again) {
            load.completed(done.request, response.status(), (int) ((now - done.arrivalNanos) / 1_000_000));
        }
        if (response.close() || closed) {
            close(connection);
        } else {
            free(connection);
        }
        if (again) {
            send(done);
        }
    }

    /** Whether the exchange has a retry left; if so, counts it and readies its bytes to be sent again. */
    private boolean retry(final Exchange exchange) {
        if (exchange.retries >= retries) {
            return false;
        }
        exchange.retries++;
        exchange.bytes.rewind();
        load.retried();
        return true;
    }

    /** A connection is free: it takes the next waiting request, or waits for one. */
    private void free(final Connection connection) throws IOException {
        final Exchange next = waiting.pollFirst();
        if (next != null) {
            start(connection, next);
        } else {
            connection.key.interestOps(SelectionKey.OP_READ);
            idle.addFirst(connection);
        }
    }

    /** Requests unanswered past the timeout are recorded with no status and their connections closed. */
    private void expire(final long now) throws IOException {
        final List<Connection> late = new ArrayList<>();
        for (final Connection connection : busy) {
            if (connection.exchange != null && now - connection.exchange.arrivalNanos > timeoutNanos) {
                late.add(connection);
            }
        }
        for (final Connection connection : late) {
            failed(connection, null, false);
        }
        while (!waiting.isEmpty() && now - waiting.peekFirst().arrivalNanos > timeoutNanos) {
            load.completed(waiting.pollFirst().request, null, null);
        }
    }

    /** The exchange on the connection failed (an I/O error): sent again if it may be, else recorded unanswered. */
    private void failed(final Connection connection, final IOException cause) throws IOException {
        failed(connection, cause, true);
    }

    /**
     * The exchange on the connection gets no answer (it is sent again if {@code mayRetry} and it has a retry left);
     * the connection is closed and, if one waits, replaced.
     */
    private void failed(final Connection connection, final IOException cause, final boolean mayRetry)
            throws IOException {
        final Exchange exchange = connection.exchange;
        connection.exchange = null;
        if (!connection.connected) {
            connection.connected = true;
            connecting--;
        }
        busy.remove(connection);
        close(connection);
        if (exchange != null) {
            if (mayRetry && retry(exchange)) {
                send(exchange);
                return;
            }
            load.completed(exchange.request, null, null);
        }
        final Exchange next = waiting.pollFirst();
        if (next != null) {
            send(next);
        }
    }

    private void close(final Connection connection) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        try {
            connection.key.cancel();
            connection.channel.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        open--;
    }
}
