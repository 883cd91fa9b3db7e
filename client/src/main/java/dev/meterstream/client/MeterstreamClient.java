package dev.meterstream.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends usage events to ingest-api in batches, and never makes one event count twice.
 *
 * <ul>
 *   <li>{@link #send} gives each event without an id a random one, once, so every retry of it carries the same id
 *   and is counted once; it returns a future of the event's {@link Delivery}, which completes only once ingest-api
 *   has acknowledged it (Kafka holds it), or fails with {@link EventRejectedException} (the event breaks a rule) or
 *   {@link DeliveryFailedException} (not acknowledged in time, or refused as a whole).</li>
 *   <li>Events wait at most {@code linger} to fill a batch of at most {@code maxBatchEvents} events and
 *   {@code maxBatchBytes} bytes; {@code maxInFlightRequests} batches are sent at a time.</li>
 *   <li>Memory is bounded: at most {@code maxBufferedEvents} events and {@code maxBufferedBytes} bytes are held,
 *   waiting or in flight. A full buffer makes {@link #send} wait (backpressure) for up to {@code maxBlock}, then
 *   throw {@link BufferFullException}; it never grows a queue.</li>
 *   <li>429, 5xx, timeouts and lost connections are retried with the same ids, after the answer's
 *   {@code Retry-After} or an exponential backoff, jittered, until {@code deliveryTimeout} from the first try.</li>
 *   <li>A 207 is read item by item; {@link #flush} waits for everything sent before it; {@link #close} flushes.</li>
 * </ul>
 */
public final class MeterstreamClient implements AutoCloseable {
    private final Settings settings;
    private final Exchange exchange;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Every event's future until it completes, with the event's id. */
    private final Map<CompletableFuture<Delivery>, String> outstanding = new ConcurrentHashMap<>();
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final Thread dispatcher;
    private long heldEvents;
    private long heldBytes;
    private long waitingBytes;
    private int flushes;
    private boolean closed;

    private MeterstreamClient(final Settings settings) {
        this.settings = settings;
        this.exchange = new Exchange(settings);
        this.inFlight = new Semaphore(settings.maxInFlightRequests());
        this.senders = Executors.newFixedThreadPool(settings.maxInFlightRequests(), runnable -> {
            final Thread thread = new Thread(runnable, "meterstream-client-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = new Thread(this::dispatch, "meterstream-client-batcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** A client for the ingest-api at {@code baseUri} (for example {@code http://127.0.0.1:8080}) with this key. */
    public static Builder builder(final URI baseUri, final String apiKey) {
        return new Builder(baseUri, apiKey);
    }

    /**
     * Queues {@code event} for the next batch; waits for room in the buffer if it is full.
     *
     * @return the event's delivery; the id is the event's own or the one made here
     * @throws BufferFullException   if there was no room within {@code maxBlock}
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<Delivery> send(final UsageEvent event) {
        Objects.requireNonNull(event, "event");
        final String id = event.id() == null ? UUID.randomUUID().toString() : event.id();
        final byte[] json = Json.event(event, id);
        final CompletableFuture<Delivery> delivery = new CompletableFuture<>();
        if (json.length + 2 > settings.maxBatchBytes()) {
            delivery.completeExceptionally(new DeliveryFailedException(id, "the event takes " + json.length
                    + " bytes, more than a batch may (" + settings.maxBatchBytes() + ")", 0, null, false, null));
            return delivery;
        }
        final long started = System.nanoTime();
        lock.lock();
        try {
            long wait = settings.maxBlock().toNanos();
            while (!closed && (heldEvents + 1 > settings.maxBufferedEvents()
                    || heldBytes + json.length > settings.maxBufferedBytes())) {
                if (wait <= 0) {
                    throw new BufferFullException(settings.maxBlock());
                }
                wait = changed.awaitNanos(wait);
            }
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            heldEvents++;
            heldBytes += json.length;
            waitingBytes += json.length;
            outstanding.put(delivery, id);
            waiting.add(new Pending(id, json, delivery, System.nanoTime()));
            changed.signalAll();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the buffer", e);
        } finally {
            lock.unlock();
        }
        final long waited = System.nanoTime() - started;
        if (waited > TimeUnit.MILLISECONDS.toNanos(1)) {
            settings.listener().blocked(Duration.ofNanos(waited));
        }
        delivery.whenComplete((done, failure) -> outstanding.remove(delivery));
        return delivery;
    }

    /** Sends every event queued so far at once, and waits until each is delivered or has failed. */
    public void flush() {
        final List<CompletableFuture<Delivery>> before = new ArrayList<>(outstanding.keySet());
        lock.lock();
        try {
            flushes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        } finally {
            lock.lock();
            try {
                flushes--;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Flushes, then stops; events sent after this are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        flush();
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.join(settings.deliveryTimeout().toMillis() + 10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdown();
        try {
            senders.awaitTermination(settings.deliveryTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outstanding.forEach((left, id) -> left.completeExceptionally(new DeliveryFailedException(id,
                "the client was closed before it was acknowledged", 0, null, true, null)));
    }

    /** Forms batches from the waiting events and hands each to a sender, at most maxInFlightRequests at a time. */
    private void dispatch() {
        while (true) {
            final List<Pending> batch = new ArrayList<>();
            lock.lock();
            try {
                while (!ready()) {
                    if (closed && waiting.isEmpty()) {
                        return;
                    }
                    if (waiting.isEmpty()) {
                        changed.await();
                    } else {
                        final long due = waiting.peekFirst().queuedNanos() + settings.linger().toNanos()
                                - System.nanoTime();
                        changed.awaitNanos(Math.max(due, 1));
                    }
                }
                long bytes = 2;
                while (!waiting.isEmpty() && batch.size() < settings.maxBatchEvents()
                        && bytes + waiting.peekFirst().json().length + 1 <= settings.maxBatchBytes()) {
                    final Pending next = waiting.pollFirst();
                    bytes += next.json().length + 1;
                    waitingBytes -= next.json().length;
                    batch.add(next);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            inFlight.acquireUninterruptibly();
            senders.execute(() -> {
                try {
                    exchange.deliver(batch);
                } finally {
                    release(batch);
                    inFlight.release();
                }
            });
        }
    }

    /** Whether a batch should go now: full, lingered long enough, or asked for by a flush or close. */
    private boolean ready() {
        if (waiting.isEmpty()) {
            return false;
        }
        return waiting.size() >= settings.maxBatchEvents() || waitingBytes + waiting.size() + 1
                >= settings.maxBatchBytes() || flushes > 0 || closed
                || System.nanoTime() - waiting.peekFirst().queuedNanos() >= settings.linger().toNanos();
    }

    private void release(final List<Pending> batch) {
        lock.lock();
        try {
            for (final Pending pending : batch) {
                heldEvents--;
                heldBytes -= pending.json().length;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** An event waiting or in flight: its id, its JSON, and its caller's future. */
    record Pending(String id, byte[] json, CompletableFuture<Delivery> delivery, long queuedNanos) {
    }

    /** Every setting, checked by the builder. */
    record Settings(URI usages, String apiKey, HttpClient http, int maxBatchEvents, int maxBatchBytes, Duration linger,
                    long maxBufferedEvents, long maxBufferedBytes, Duration maxBlock, int maxInFlightRequests,
                    Duration requestTimeout, Duration deliveryTimeout, Duration initialBackoff, Duration maxBackoff,
                    int compressAbove, ClientListener listener) {
    }

    /** The client's settings, with defaults that suit a busy producer. */
    public static final class Builder {
        private final URI baseUri;
        private final String apiKey;
        private HttpClient http;
        private int maxBatchEvents = 500;
        private int maxBatchBytes = 512 * 1024;
        private Duration linger = Duration.ofMillis(10);
        private long maxBufferedEvents = 50_000;
        private long maxBufferedBytes = 32L * 1024 * 1024;
        private Duration maxBlock = Duration.ofSeconds(30);
        private int maxInFlightRequests = 4;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int compressAbove = 4096;
        private ClientListener listener = new ClientListener() {
        };

        private Builder(final URI baseUri, final String apiKey) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** At most 1,000 (ingest-api's limit); default 500. */
        public Builder maxBatchEvents(final int events) {
            this.maxBatchEvents = between("maxBatchEvents", events, 1, 1000);
            return this;
        }

        /** Bytes of JSON a batch may hold, at most 1 MiB (ingest-api's limit); default 512 KiB. */
        public Builder maxBatchBytes(final int bytes) {
            this.maxBatchBytes = between("maxBatchBytes", bytes, 256, 1024 * 1024);
            return this;
        }

        /** How long an event may wait for others to fill its batch; default 10 ms. */
        public Builder linger(final Duration duration) {
            this.linger = positiveOrZero("linger", duration);
            return this;
        }

        /** Events held, waiting or in flight, before {@link #send} waits; default 50,000. */
        public Builder maxBufferedEvents(final long events) {
            this.maxBufferedEvents = between("maxBufferedEvents", events, 1, Long.MAX_VALUE);
            return this;
        }

        /** Bytes held, waiting or in flight, before {@link #send} waits; default 32 MiB. */
        public Builder maxBufferedBytes(final long bytes) {
            this.maxBufferedBytes = between("maxBufferedBytes", bytes, 1024, Long.MAX_VALUE);
            return this;
        }

        /** How long {@link #send} waits for room before it throws {@link BufferFullException}; default 30 s. */
        public Builder maxBlock(final Duration duration) {
            this.maxBlock = positiveOrZero("maxBlock", duration);
            return this;
        }

        /** Batches sent at a time; default 4. */
        public Builder maxInFlightRequests(final int requests) {
            this.maxInFlightRequests = between("maxInFlightRequests", requests, 1, 64);
            return this;
        }

        /** How long one request may take before it counts as timed out (and is retried); default 30 s. */
        public Builder requestTimeout(final Duration duration) {
            this.requestTimeout = positive("requestTimeout", duration);
            return this;
        }

        /** How long, from the first try, a batch is retried before its events fail; default 2 min. */
        public Builder deliveryTimeout(final Duration duration) {
            this.deliveryTimeout = positive("deliveryTimeout", duration);
            return this;
        }

        /** The first retry's backoff, doubled each retry up to {@code max}; defaults 100 ms and 10 s. */
        public Builder backoff(final Duration initial, final Duration max) {
            this.initialBackoff = positive("backoff initial", initial);
            this.maxBackoff = positive("backoff max", max);
            return this;
        }

        /** Bodies larger than this are sent gzipped; -1 never; default 4 KiB. */
        public Builder compressAbove(final int bytes) {
            this.compressAbove = between("compressAbove", bytes, -1, Integer.MAX_VALUE);
            return this;
        }

        /** The HttpClient to send with (for TLS settings or a proxy); default one made for this client. */
        public Builder httpClient(final HttpClient client) {
            this.http = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        public Builder listener(final ClientListener hooks) {
            this.listener = Objects.requireNonNull(hooks, "listener");
            return this;
        }

        public MeterstreamClient build() {
            final String base = baseUri.toString().replaceAll("/+$", "");
            final HttpClient client = http != null ? http : HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10)).build();
            return new MeterstreamClient(new Settings(URI.create(base + "/api/usages"), apiKey, client, maxBatchEvents,
                    maxBatchBytes, linger, maxBufferedEvents, Math.max(maxBufferedBytes, maxBatchBytes), maxBlock,
                    maxInFlightRequests, requestTimeout, deliveryTimeout, initialBackoff, maxBackoff, compressAbove,
                    listener));
        }

        private static int between(final String name, final int value, final int min, final int max) {
            return (int) between(name, (long) value, min, max);
        }

        private static long between(final String name, final long value, final long min, final long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was "
                        + value);
            }
            return value;
        }

        private static Duration positive(final String name, final Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration positiveOrZero(final String name, final Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
