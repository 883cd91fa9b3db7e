package dev.meterstream.processor;

import dev.meterstream.event.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the processor is so far behind on the raw topic that acknowledged events come near its retention: the
 * raw topic keeps events for {@code topics.raw-retention}, and an event the processor has not read by then is
 * gone. Red once any raw partition holds an unprocessed record older than the alarm age (a share of that
 * retention), so that an operator acts while there is time.
 *
 * <p>One question to the brokers answers it without reading a record: the first offset stamped at or after
 * {@code now - alarm} ({@link OffsetSpec#forTimestamp}); every record before it is older than the alarm, so the
 * processor is behind exactly when its committed offset lies below that. Answers are kept a few seconds, so that
 * health probes do not become broker load.
 */
final class RawLagCheck {
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final long TIMEOUT_SECONDS = 5;

    /** The answer: behind or not, and in words which partitions and by how much. */
    record Status(boolean ok, String detail) {
    }

    private final Admin admin;
    private final String group;
    private final Duration alarm;
    private final Clock clock;
    private Status last;
    private Instant lastAt = Instant.MIN;

    RawLagCheck(final Admin admin, final String group, final Duration alarm, final Clock clock) {
        this.admin = admin;
        this.group = group;
        this.alarm = alarm;
        this.clock = clock;
    }

    synchronized Status status() {
        final Instant now = clock.instant();
        if (last == null || now.isAfter(lastAt.plus(REFRESH))) {
            last = measure(now);
            lastAt = now;
        }
        return last;
    }

    private Status measure(final Instant now) {
        try {
            final List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(List.of(Topics.RAW)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(Topics.RAW).partitions()
                    .forEach(p -> partitions.add(new TopicPartition(Topics.RAW, p.partition())));
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
            final Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
            final Map<TopicPartition, Long> alarmAt = offsets(partitions,
                    OffsetSpec.forTimestamp(now.minus(alarm).toEpochMilli()));
            final List<String> behind = new ArrayList<>();
            for (final TopicPartition partition : partitions) {
                final OffsetAndMetadata offset = committed.get(partition);
                final long processed = Math.max(earliest.get(partition), offset == null ? 0 : offset.offset());
                // -1: no record is as young as the alarm age, so every record left is older than it.
                final long firstYoung = alarmAt.get(partition) < 0 ? latest.get(partition) : alarmAt.get(partition);
                if (processed < firstYoung) {
                    behind.add(partition.partition() + " (" + (firstYoung - processed) + " records)");
                }
            }
            if (behind.isEmpty()) {
                return new Status(true, "no unprocessed raw record is older than " + alarm);
            }
            return new Status(false, "raw records older than " + alarm + " are not processed yet, in partitions "
                    + String.join(", ", behind) + "; past topics.raw-retention they are lost");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, "interrupted");
        } catch (final Exception e) {
            return new Status(false, "cannot measure the lag on " + Topics.RAW + ": " + e);
        }
    }

    private Map<TopicPartition, Long> offsets(final List<TopicPartition> partitions, final OffsetSpec spec)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry
                : admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
            offsets.put(entry.getKey(), entry.getValue().offset());
        }
        return offsets;
    }
}
