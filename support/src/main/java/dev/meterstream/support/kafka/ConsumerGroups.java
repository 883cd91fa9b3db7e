package dev.meterstream.support.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (for a Kafka Streams application, its application id) has got, as the brokers hold it:
 * what tests and benchmarks wait on to know that an application has processed its input, and what the processor
 * exports as its group's lag (one member's own consumer sees only the partitions it owns).
 */
public final class ConsumerGroups {
    private ConsumerGroups() {
    }

    /** The sum of the group's committed offsets on one topic. */
    public static long committed(final Admin admin, final String group, final String topic)
            throws ExecutionException, InterruptedException {
        return committedOffsets(admin, group).entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /**
     * Whether the group has committed offsets at the end of every partition of these topics (name a Kafka Streams
     * application's repartition topics too). A partition the group has never committed counts only if it is empty:
     * a task that has not committed yet, say on a repartition topic just being written, has not caught up.
     */
    public static boolean caughtUp(final Admin admin, final String group, final Collection<String> topics)
            throws ExecutionException, InterruptedException {
        return lag(admin, group, topics) == 0;
    }

    /**
     * Records on the topics not yet committed by the group, summed over their partitions (a partition the group
     * has never committed counts from its start).
     */
    public static long lag(final Admin admin, final String group, final Collection<String> topics)
            throws ExecutionException, InterruptedException {
        try {
            return lag(admin, group, topics, Duration.ofDays(1));
        } catch (final TimeoutException e) {
            throw new ExecutionException(e);
        }
    }

    /** As {@link #lag(Admin, String, Collection)}, each question to the brokers answered within {@code timeout}. */
    public static long lag(final Admin admin, final String group, final Collection<String> topics,
                           final Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        final long millis = timeout.toMillis();
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(millis, TimeUnit.MILLISECONDS);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(millis, TimeUnit.MILLISECONDS).forEach((topic, description) ->
                description.partitions().forEach(info -> {
                    latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
                    earliest.put(new TopicPartition(topic, info.partition()), OffsetSpec.earliest());
                }));
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(millis, TimeUnit.MILLISECONDS);
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                admin.listOffsets(earliest).all().get(millis, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (final TopicPartition partition : latest.keySet()) {
            final OffsetAndMetadata at = committed.get(partition);
            lag += Math.max(0, ends.get(partition).offset()
                    - (at == null ? starts.get(partition).offset() : at.offset()));
        }
        return lag;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(final Admin admin, final String group)
            throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }
}
