package dev.meterstream.ingest;

import dev.meterstream.event.Topics;
import dev.meterstream.support.kafka.TopicSetup;
import dev.meterstream.support.kafka.TopicSpec;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes accepted events to the raw topic with an idempotent producer and {@code acks=all}: an acknowledged
 * event is on every in-sync replica, and the producer's own retries never write it twice. Keyed by
 * {@code tenant/id}, so every copy of an event lands on the same partition, where the processor dedupes it.
 *
 * <p>A background check asks the cluster for its brokers every second; while it gets no answer,
 * {@link #reachable()} is false and the edge answers 503 at once rather than letting requests wait for a
 * timeout.
 */
final class KafkaEventPublisher implements EventPublisher {
    private static final Logger LOG = Logger.getLogger(KafkaEventPublisher.class.getName());
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final Thread reachabilityCheck;
    private volatile boolean reachable = true;
    private volatile boolean closed;

    KafkaEventPublisher(final IngestSettings settings) {
        this.admin = Admin.create(settings.kafka().config(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) METADATA_TIMEOUT.toMillis())));
        TopicSetup.ensure(admin, TopicSpec.raw(settings.rawPartitions(), settings.rawRetention()));
        this.producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(),
                new ByteArraySerializer());
        awaitTopicMetadata();
        this.reachabilityCheck = Thread.ofVirtual().name("kafka-reachability").start(this::checkReachability);
    }

    /**
     * Fetches the raw topic's metadata before the first request, which would otherwise have to fetch it within
     * max.block.ms (tens of milliseconds) and fail. Each try is bounded by max.block.ms, so it is tried again.
     */
    private void awaitTopicMetadata() {
        final long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            try {
                producer.partitionsFor(Topics.RAW);
                return;
            } catch (final org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    producer.close(Duration.ZERO);
                    admin.close(Duration.ZERO);
                    throw new IllegalStateException("no metadata for topic " + Topics.RAW + " from "
                            + "Kafka within " + METADATA_TIMEOUT.toSeconds() + " s", e);
                }
            }
        }
    }

    static Map<String, Object> producerConfig(final IngestSettings settings) {
        final Map<String, Object> config = new java.util.HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, settings.lingerMillis());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchSizeBytes());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.bufferMemoryBytes());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        // The edge stops waiting after send-timeout; the producer keeps retrying a little longer so that a short
        // broker failover still lands records (a client retry of those is deduped downstream).
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-api");
        return settings.kafka().config(config);
    }

    @Override
    public CompletableFuture<Acknowledgement> publish(final UsageEvent event) {
        final CompletableFuture<Acknowledgement> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.RAW, event.key(), UsageEventBytes.write(event)),
                    (metadata, error) -> {
                        if (error != null) {
                            acknowledged.completeExceptionally(error);
                        } else {
                            acknowledged.complete(new Acknowledgement(metadata.partition(), metadata.offset()));
                        }
                    });
        } catch (final RuntimeException e) {
            // buffer full for max.block.ms, metadata unavailable, or producer closed
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    /** Bytes free in the producer's buffer, for the buffer-use gauge. */
    double bufferAvailableBytes() {
        return producerMetric("buffer-available-bytes");
    }

    private double producerMetric(final String name) {
        for (final Map.Entry<MetricName, ? extends Metric> entry : producer.metrics().entrySet()) {
            if (entry.getKey().name().equals(name) && entry.getKey().group().equals("producer-metrics")) {
                final Object value = entry.getValue().metricValue();
                return value instanceof Number number ? number.doubleValue() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    private void checkReachability() {
        while (!closed) {
            boolean answered;
            try {
                answered = !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                        .nodes().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
            } catch (final InterruptedException e) {
                return;
            } catch (final Exception e) {
                answered = false;
            }
            if (answered != reachable) {
                LOG.log(answered ? Level.INFO : Level.WARNING, "Kafka is " + (answered ? "reachable again" : "unreachable"));
            }
            reachable = answered;
            try {
                Thread.sleep(CHECK_INTERVAL);
            } catch (final InterruptedException e) {
                return;
            }
        }
    }

    /** Sends what is buffered (bounded wait) and closes; called after the server stopped taking requests. */
    @Override
    public void close() {
        closed = true;
        reachabilityCheck.interrupt();
        producer.close(Duration.ofSeconds(15));
        admin.close(Duration.ofSeconds(5));
    }
}
