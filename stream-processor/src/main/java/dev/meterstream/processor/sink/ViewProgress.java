package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.meterstream.schema.Views;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures the views' freshness ({@link PipelineWatermark}) from the brokers' offsets and records it in
 * {@code view_progress}, where query-api reads it. Also reports the sink's lag.
 */
final class ViewProgress {
    static final String VIEW = Views.USAGE_PROGRESS;
    private static final Logger LOG = Logger.getLogger(ViewProgress.class.getName());
    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final String processorGroup;
    private final String sinkGroup;
    private final PipelineWatermark.Topics topics;
    private final PipelineWatermark watermark;
    private final SinkMetrics metrics;
    private final PreparedStatement record;
    private final CqlSession session;
    private List<TopicPartition> partitions = List.of();

    ViewProgress(final Admin admin, final String processorGroup, final String sinkGroup,
                 final PipelineWatermark.Topics topics, final Duration interval, final CqlSession session,
                 final String keyspace, final SinkMetrics metrics) {
        this.admin = admin;
        this.processorGroup = processorGroup;
        this.sinkGroup = sinkGroup;
        this.topics = topics;
        this.watermark = new PipelineWatermark(topics, interval);
        this.metrics = metrics;
        this.session = session;
        this.record = session.prepare(Views.VIEW_PROGRESS.insert(keyspace, Views.VIEW_PROGRESS.columns()));
    }

    /** One observation; failures (a broker or Cassandra away) are logged and the next one tries again. */
    void update() {
        try {
            final PipelineWatermark.Observation observation = observe();
            metrics.lag(watermark.sinkLag(observation));
            final Optional<Instant> completeThrough = watermark.advance(observation);
            if (completeThrough.isPresent()) {
                session.execute(record.bind(VIEW, completeThrough.get(), Instant.now()));
                metrics.completeThrough(completeThrough.get().toEpochMilli());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.FINE, "could not measure the views' freshness this time", e);
        }
    }

    private PipelineWatermark.Observation observe() throws InterruptedException, ExecutionException,
            TimeoutException {
        if (partitions.isEmpty()) {
            partitions = describe();
        }
        // Committed offsets first, end offsets after: see PipelineWatermark.
        final Map<TopicPartition, Long> processor = committed(processorGroup);
        final Map<TopicPartition, Long> sink = committed(sinkGroup);
        final Instant at = Instant.now();
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return new PipelineWatermark.Observation(at, processor, sink, ends);
    }

    private List<TopicPartition> describe() throws InterruptedException, ExecutionException, TimeoutException {
        final Map<String, TopicDescription> described = admin.describeTopics(List.of(topics.raw(),
                topics.repartition(), topics.events(), topics.aggregates())).allTopicNames()
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return described.values().stream().flatMap(topic -> topic.partitions().stream()
                .map(p -> new TopicPartition(topic.name(), p.partition()))).toList();
    }

    private Map<TopicPartition, Long> committed(final String group) throws InterruptedException,
            ExecutionException, TimeoutException {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }
}
