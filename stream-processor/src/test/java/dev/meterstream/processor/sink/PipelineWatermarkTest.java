package dev.meterstream.processor.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PipelineWatermarkTest {
    private static final PipelineWatermark.Topics TOPICS =
            new PipelineWatermark.Topics("raw", "repartition", "events", "aggregates");
    private static final TopicPartition RAW = new TopicPartition("raw", 0);
    private static final TopicPartition REPARTITION = new TopicPartition("repartition", 0);
    private static final TopicPartition EVENTS = new TopicPartition("events", 0);
    private static final TopicPartition AGGREGATES = new TopicPartition("aggregates", 0);

    private final PipelineWatermark watermark = new PipelineWatermark(TOPICS, Duration.ofSeconds(1));

    @Test
    void shouldClaimAnInstantOnlyOnceTheSinkHasWrittenWhatTheProcessorMadeOfEverythingBeforeIt() {
        // t=1: 10 raw records accepted; nothing processed yet.
        assertEquals(Optional.empty(), watermark.advance(observe(1, processor(0, 0), sink(0, 0),
                ends(10, 0, 0, 0))));
        // t=2: the processor has the 10 raw records (and made 10 log records, 10 repartitioned), not yet their
        // aggregates; the sink has the log only. Nothing can be claimed: t=1's aggregates are not written.
        assertEquals(Optional.empty(), watermark.advance(observe(2, processor(10, 0), sink(10, 0),
                ends(10, 10, 10, 0))));
        // t=3: the processor has aggregated the repartitioned records (4 aggregates), the sink not yet.
        assertEquals(Optional.empty(), watermark.advance(observe(3, processor(10, 10), sink(10, 0),
                ends(12, 10, 10, 4))));
        // t=4: the sink has written the 4 aggregates: everything accepted before t=1 is in the views. t=2's raw
        // end (10) is covered too, but its repartition snapshot was taken at t=2's observation (10) and its
        // aggregates snapshot at t=3's (4): also complete. t=3's raw end (12) is not processed yet.
        assertEquals(Optional.of(Instant.ofEpochSecond(2)), watermark.advance(observe(4, processor(10, 10),
                sink(10, 4), ends(12, 10, 10, 4))));
    }

    @Test
    void shouldClaimTheObservationInstantWhenEverythingIsCaughtUp() {
        assertEquals(Optional.of(Instant.ofEpochSecond(5)), watermark.advance(observe(5, processor(7, 3),
                sink(7, 2), ends(7, 3, 7, 2))));
        assertEquals(Optional.of(Instant.ofEpochSecond(6)), watermark.advance(observe(6, processor(7, 3),
                sink(7, 2), ends(7, 3, 7, 2))));
    }

    @Test
    void shouldNotClaimAnInstantWhileTheSinkLagsOnTheLogAloneOrTheAggregatesAlone() {
        assertEquals(Optional.empty(), watermark.advance(observe(1, processor(7, 3), sink(6, 2), ends(7, 3, 7, 2))),
                "the log's last record is not written");
        assertEquals(Optional.empty(), watermark.advance(observe(2, processor(7, 3), sink(7, 1), ends(7, 3, 7, 2))),
                "the aggregates' last record is not written");
        assertEquals(Optional.of(Instant.ofEpochSecond(2)), watermark.advance(observe(3, processor(7, 3),
                sink(7, 2), ends(8, 3, 7, 2))), "both written: complete through the last observation covered");
    }

    @Test
    void shouldStopTakingCheckpointsOnceTheViewsAreTenMinutesOfObservationsBehind() {
        // One a second: 700 observations while the processor commits nothing; checkpoints for the first 600 only.
        final PipelineWatermark perSecond = new PipelineWatermark(TOPICS, Duration.ofSeconds(1));
        final Instant last = stuck(perSecond, Duration.ofSeconds(1), 700);
        assertEquals(Optional.of(Instant.ofEpochSecond(600)), perSecond.advance(caughtUp(last, 700)),
                "the newest checkpoint is the 600th: ten minutes of observations");
    }

    @Test
    void shouldKeepTenMinutesOfCheckpointsAtAShorterInterval() {
        // Four a second: 1,000 observations (250 s) behind are within the ten minutes, so the caught-up observation
        // takes its own checkpoint and completes it at once.
        final PipelineWatermark fourPerSecond = new PipelineWatermark(TOPICS, Duration.ofMillis(250));
        final Instant last = stuck(fourPerSecond, Duration.ofMillis(250), 1_000);
        assertEquals(Optional.of(last), fourPerSecond.advance(caughtUp(last, 1_000)));
    }

    /** {@code count} observations, one per {@code interval}, in which the processor commits none of the raw records. */
    private static Instant stuck(final PipelineWatermark watermark, final Duration interval, final int count) {
        for (int i = 1; i <= count; i++) {
            assertEquals(Optional.empty(), watermark.advance(new PipelineWatermark.Observation(
                    Instant.EPOCH.plus(interval.multipliedBy(i)), processor(0, 0), sink(0, 0), ends(i, 0, 0, 0))));
        }
        return Instant.EPOCH.plus(interval.multipliedBy(count + 1));
    }

    /** The processor has committed every raw record, with nothing downstream yet: everything is in the views. */
    private static PipelineWatermark.Observation caughtUp(final Instant at, final long rawRecords) {
        return new PipelineWatermark.Observation(at, processor(rawRecords, 0), sink(0, 0), ends(rawRecords, 0, 0, 0));
    }

    @Test
    void shouldReportTheSinkLagOverTheLogAndAggregates() {
        assertEquals(5 + 3, watermark.sinkLag(observe(1, processor(0, 0), sink(5, 1), ends(0, 0, 10, 4))));
    }

    private static PipelineWatermark.Observation observe(final long second, final Map<TopicPartition, Long> processor,
                                                         final Map<TopicPartition, Long> sink,
                                                         final Map<TopicPartition, Long> ends) {
        return new PipelineWatermark.Observation(Instant.ofEpochSecond(second), processor, sink, ends);
    }

    /** The processor's committed offsets on the raw and repartition topics. */
    private static Map<TopicPartition, Long> processor(final long raw, final long repartition) {
        return Map.of(RAW, raw, REPARTITION, repartition);
    }

    /** The sink's committed offsets on the log and aggregates topics. */
    private static Map<TopicPartition, Long> sink(final long events, final long aggregates) {
        return Map.of(EVENTS, events, AGGREGATES, aggregates);
    }

    private static Map<TopicPartition, Long> ends(final long raw, final long repartition, final long events,
                                                  final long aggregates) {
        return Map.of(RAW, raw, REPARTITION, repartition, EVENTS, events, AGGREGATES, aggregates);
    }
}
