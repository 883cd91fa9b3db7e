package dev.meterstream.support.auth;

import dev.meterstream.event.Topics;
import dev.meterstream.support.kafka.KafkaConnection;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The API keys every instance shares, as the compacted keys topic ({@link Topics#API_KEYS}) holds them: read from
 * its start into memory by a thread of its own, which then follows it, so a key made or revoked anywhere is in
 * effect here as soon as its record is read (a poll is at most {@link #POLL} long). Keys are written here too, and
 * a write returns once this instance has read it back, so the answer that hands out a key can be followed at once
 * by a request that uses it.
 *
 * <p>A key is {@code ms_<id>_<secret>} ({@link StoredKey}): the id finds the record and the secret's SHA-256 is
 * compared with the stored digest by {@link MessageDigest#isEqual}, in time that does not depend on where they
 * differ. Keys are never logged; only ids are.
 */
public final class KeyRing implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());
    private static final TopicPartition PARTITION = new TopicPartition(Topics.API_KEYS, 0);
    static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Clock clock;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, StoredKey> keys = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    /** The offset of the next record to apply; guarded by {@link #progress}. */
    private long readThrough;
    private volatile boolean running = true;
    private volatile boolean following;
    private final Thread reader;

    private KeyRing(final KafkaConnection kafka, final String clientId, final Clock clock) {
        this.clock = clock;
        this.admin = Admin.create(kafka.config(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-keys-admin")));
        this.consumer = new KafkaConsumer<>(kafka.config(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-keys")),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(kafka.config(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-keys-writer")),
                new StringSerializer(), new ByteArraySerializer());
        this.reader = new Thread(this::read, "api-keys");
        this.reader.setDaemon(true);
    }

    /** Creates the topic if missing, reads it to its end, and keeps following it. */
    public static KeyRing start(final KafkaConnection kafka, final String clientId) {
        return start(kafka, clientId, Clock.systemUTC());
    }

    static KeyRing start(final KafkaConnection kafka, final String clientId, final Clock clock) {
        final KeyRing ring = new KeyRing(kafka, clientId, clock);
        try {
            TopicSetup.ensure(ring.admin, TopicSpec.apiKeys());
            ring.consumer.assign(List.of(PARTITION));
            ring.consumer.seekToBeginning(List.of(PARTITION));
            final long end = ring.consumer.endOffsets(List.of(PARTITION), TIMEOUT).get(PARTITION);
            ring.reader.start();
            ring.awaitRead(end);
            return ring;
        } catch (final RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /** The record of {@code key} if it is a key of this form, its secret matches, and it is active now. */
    public Optional<StoredKey> authenticate(final String key) {
        final Optional<StoredKey.Parts> parts = StoredKey.parts(key);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        final StoredKey stored = keys.get(parts.get().id());
        if (stored == null) {
            return Optional.empty();
        }
        final byte[] expected = HexFormat.of().parseHex(stored.sha256());
        final byte[] given = HexFormat.of().parseHex(ApiKeys.sha256(parts.get().secret()));
        return MessageDigest.isEqual(expected, given) && stored.activeAt(clock.instant()) ? Optional.of(stored)
                : Optional.empty();
    }

    /** The tenant's keys, revoked and expired ones too, oldest first. */
    public List<StoredKey> of(final String tenant) {
        return keys.values().stream().filter(key -> key.tenant().equals(tenant))
                .sorted(Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::id)).toList();
    }

    /** Every key, for operators ({@code ./dev keys list}). */
    public List<StoredKey> all() {
        return keys.values().stream().sorted(Comparator.comparing(StoredKey::tenant)
                .thenComparing(StoredKey::createdAt).thenComparing(StoredKey::id)).toList();
    }

    /** Makes a key; returns once its record is written and read back here. The key itself is stored nowhere. */
    public StoredKey.Issued issue(final String tenant, final Scope scope, final Instant expiresAt) {
        final StoredKey.Issued issued = StoredKey.issue(tenant, scope, expiresAt, clock.instant());
        write(issued.stored());
        LOG.info(() -> "made key " + issued.stored().id() + " (" + scope.json() + ") of tenant " + tenant);
        return issued;
    }

    /** Revokes the tenant's key {@code id}; returns its record as revoked, or empty if the tenant has no such key. */
    public Optional<StoredKey> revoke(final String tenant, final String id) {
        final StoredKey stored = keys.get(id);
        if (stored == null || !stored.tenant().equals(tenant)) {
            return Optional.empty();
        }
        final StoredKey revoked = stored.revoke(clock.instant());
        if (revoked != stored) {
            write(revoked);
            LOG.info(() -> "revoked key " + id + " of tenant " + tenant);
        }
        return Optional.of(revoked);
    }

    /** Whether the reader is following the topic (readiness). */
    public boolean following() {
        return following && reader.isAlive();
    }

    private void write(final StoredKey key) {
        try {
            final RecordMetadata written = producer.send(new ProducerRecord<>(Topics.API_KEYS, 0, key.id(),
                    key.json())).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitRead(written.offset() + 1);
        } catch (final ExecutionException | TimeoutException e) {
            throw new KeysUnavailable("the keys topic could not be written: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailable("interrupted while writing a key", e);
        }
    }

    private void awaitRead(final long offset) {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (progress) {
            while (readThrough < offset) {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || !reader.isAlive() && running) {
                    throw new KeysUnavailable("the keys topic was not read to offset " + offset + " within "
                            + TIMEOUT, null);
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KeysUnavailable("interrupted while reading the keys topic", e);
                }
            }
        }
    }

    private void read() {
        try {
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                final long position = consumer.position(PARTITION);
                synchronized (progress) {
                    readThrough = position;
                    progress.notifyAll();
                }
                following = true;
            }
        } catch (final WakeupException e) {
            // closing
        } catch (final RuntimeException e) {
            LOG.log(Level.SEVERE, "the keys topic can no longer be read: keys made or revoked from now on are not "
                    + "seen by this instance", e);
        } finally {
            following = false;
        }
    }

    private void apply(final ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            keys.remove(record.key());
            return;
        }
        try {
            final StoredKey key = StoredKey.read(record.value());
            keys.put(key.id(), key);
        } catch (final IllegalArgumentException e) {
            LOG.warning(() -> "skipped a record of " + Topics.API_KEYS + " at offset " + record.offset() + ": "
                    + e.getMessage() + " (" + record.value().length + " bytes)");
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(TIMEOUT.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    /** The keys topic cannot be read or written in time (the API answers 503). */
    public static final class KeysUnavailable extends RuntimeException {
        KeysUnavailable(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
