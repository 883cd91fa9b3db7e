package dev.meterstream.processor.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * How fresh the views are: the instant T before which every accepted event is in Cassandra, its event rows and
 * its aggregates. An event acknowledged before T is in the raw topic below the raw end offsets read at T; it is
 * written to the views once the processor has committed past those offsets (its output then is committed, below
 * the canonical log's and repartition topic's end offsets read afterwards), has committed past that repartition
 * position (its aggregates then are below the aggregates topic's end offsets read afterwards), and the sink has
 * committed past both the log and aggregates positions. A checkpoint per observation walks those stages; the
 * newest checkpoint through all of them gives T. Under steady load T trails real time by the pipeline's latency;
 * it never claims an event is in that is not.
 *
 * <p>Pure bookkeeping over offsets, fed by {@link ViewProgress}: observations must read committed offsets before
 * end offsets, so that the ends read include everything the commits seen had produced.
 */
final class PipelineWatermark {
    /**
     * How far behind the views may fall while every observation still takes a checkpoint. Beyond it new ones are not
     * taken until old ones finish, so T stays correct but moves in coarser steps. A span, not a count, so that a
     * shorter {@code sink.progress-interval} keeps the same reach (600 checkpoints at 1 s, 2,400 at 0.25 s).
     */
    static final Duration PRECISE_LAG = Duration.ofMinutes(10);

    /** The topics of the pipeline, and what one observation read of them. */
    record Topics(String raw, String repartition, String events, String aggregates) {
    }

    /**
     * One reading of the pipeline's offsets.
     *
     * @param at                 when the end offsets were about to be read
     * @param processorCommitted the processor's committed offsets (raw and repartition topics)
     * @param sinkCommitted      the sink's committed offsets (log and aggregates topics)
     * @param ends               end offsets of committed data of every partition of the four topics
     */
    record Observation(Instant at, Map<TopicPartition, Long> processorCommitted,
                       Map<TopicPartition, Long> sinkCommitted, Map<TopicPartition, Long> ends) {
    }

    private final Topics topics;
    private final long maxPending;
    private final Deque<Checkpoint> pending = new ArrayDeque<>();
    private Instant completeThrough;

    /** @param interval how often {@link #advance} is called (positive) */
    PipelineWatermark(final Topics topics, final Duration interval) {
        this.topics = topics;
        this.maxPending = Math.max(1, PRECISE_LAG.dividedBy(interval));
    }

    /** Takes a new checkpoint, moves the waiting ones on, and returns T if it moved. */
    Optional<Instant> advance(final Observation observation) {
        if (pending.size() < maxPending) {
            pending.addLast(new Checkpoint(observation.at(), only(observation.ends(), topics.raw())));
        }
        Instant done = null;
        for (final Iterator<Checkpoint> it = pending.iterator(); it.hasNext();) {
            final Checkpoint checkpoint = it.next();
            if (checkpoint.advance(observation)) {
                done = checkpoint.at;
                it.remove();
            }
        }
        if (done != null && (completeThrough == null || done.isAfter(completeThrough))) {
            completeThrough = done;
            return Optional.of(done);
        }
        return Optional.empty();
    }

    /** Records behind the sink: end offsets minus the sink's committed offsets on the log and aggregates topics. */
    long sinkLag(final Observation observation) {
        long lag = 0;
        for (final Map.Entry<TopicPartition, Long> end : observation.ends().entrySet()) {
            final String topic = end.getKey().topic();
            if (topic.equals(topics.events()) || topic.equals(topics.aggregates())) {
                lag += Math.max(0, end.getValue() - observation.sinkCommitted().getOrDefault(end.getKey(), 0L));
            }
        }
        return lag;
    }

    private Map<TopicPartition, Long> only(final Map<TopicPartition, Long> offsets, final String topic) {
        final Map<TopicPartition, Long> result = new java.util.HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (partition.topic().equals(topic)) {
                result.put(partition, offset);
            }
        });
        return result;
    }

    private static boolean covered(final Map<TopicPartition, Long> committed, final Map<TopicPartition, Long> needed) {
        return needed.entrySet().stream().allMatch(e -> e.getValue() == 0
                || committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private final class Checkpoint {
        private final Instant at;
        private final Map<TopicPartition, Long> raw;
        private Map<TopicPartition, Long> repartition;
        private Map<TopicPartition, Long> events;
        private Map<TopicPartition, Long> aggregates;

        Checkpoint(final Instant at, final Map<TopicPartition, Long> raw) {
            this.at = at;
            this.raw = raw;
        }

        /** Moves through as many stages as this observation allows; true once the sink has written it all. */
        boolean advance(final Observation observation) {
            if (repartition == null) {
                if (!covered(observation.processorCommitted(), raw)) {
                    return false;
                }
                repartition = only(observation.ends(), topics.repartition());
                events = only(observation.ends(), topics.events());
            }
            if (aggregates == null) {
                if (!covered(observation.processorCommitted(), repartition)) {
                    return false;
                }
                aggregates = only(observation.ends(), topics.aggregates());
            }
            return covered(observation.sinkCommitted(), events) && covered(observation.sinkCommitted(), aggregates);
        }
    }
}
