package dev.meterstream.processor;

import dev.meterstream.support.kafka.ConsumerGroups;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;

/**
 * The processor's and the sink's lag as the brokers hold it: the records of their input topics that each consumer
 * group has not committed yet, the whole group's. A member's own consumer metrics see only the partitions it owns,
 * so while a dead instance's partitions wait for the group to rebalance they are nobody's lag; these count them.
 * Every instance exports the same two numbers (the rules take the max), and the load report reads the same gauges.
 * Each is measured at most once a second, when read, and is -1 while the brokers do not answer.
 */
final class GroupLagGauges {
    static final String PROCESSOR = "processor.group.lag.records";
    static final String SINK = "sink.group.lag.records";
    private static final Logger LOG = Logger.getLogger(GroupLagGauges.class.getName());
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private GroupLagGauges() {
    }

    /**
     * Registers the processor's lag (its application's group on the raw topic and its repartition topic) and, when
     * the sink runs, the sink's (its group on the canonical log and the aggregates).
     */
    static void register(final MeterRegistry registry, final Admin admin, final Clock clock, final String group,
                         final List<String> topics, final String sinkGroup, final List<String> sinkTopics) {
        final Measured processor = new Measured(admin, clock, group, topics);
        registry.getOrCreate(Gauge.builder(PROCESSOR, processor::records)
                .description("records of usage.raw and the repartition topic that the processor's group has not "
                        + "committed, all members' together, from the brokers (-1 while they do not answer)"));
        if (sinkGroup != null) {
            final Measured sink = new Measured(admin, clock, sinkGroup, sinkTopics);
            registry.getOrCreate(Gauge.builder(SINK, sink::records)
                    .description("records of the canonical log and the aggregates that the sink's group has not "
                            + "committed, all members' together, from the brokers (-1 while they do not answer)"));
        }
    }

    /** One group's lag, measured again once the last measurement is {@link #REFRESH} old. */
    static final class Measured {
        private final Admin admin;
        private final Clock clock;
        private final String group;
        private final List<String> topics;
        private long records = -1;
        private Instant at = Instant.MIN;

        Measured(final Admin admin, final Clock clock, final String group, final List<String> topics) {
            this.admin = admin;
            this.clock = clock;
            this.group = group;
            this.topics = List.copyOf(topics);
        }

        synchronized long records() {
            final Instant now = clock.instant();
            if (now.isAfter(at.plus(REFRESH))) {
                at = now;
                try {
                    records = ConsumerGroups.lag(admin, group, topics, TIMEOUT);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    records = -1;
                } catch (final Exception e) {
                    LOG.log(Level.FINE, "cannot read the lag of " + group, e);
                    records = -1;
                }
            }
            return records;
        }
    }
}
