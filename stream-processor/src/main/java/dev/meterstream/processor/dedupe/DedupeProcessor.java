package dev.meterstream.processor.dedupe;

import dev.meterstream.event.UsageEvent;
import dev.meterstream.processor.aggregate.Windowing;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops copies of events already seen: any copy of (tenant, id) that arrives within the lateness horizon of the
 * first copy's receipt is dropped, whatever its payload (the first copy wins). An event's identity is its key
 * ({@code tenant/id}); every copy lands on the same partition, so one task sees them all. Times are record times
 * (when the edge sent the copy).
 *
 * <p>Two tiers, both RocksDB window stores whose retention expires whole segments, so memory is bounded and disk is
 * bounded by the ids of one horizon (see docs/architecture.md for the bytes per id):
 * <ul>
 *   <li><b>hot</b> ({@value #HOT_STORE}): the full key at its record time, for {@code processor.dedupe-hot-window}
 *       (a day by default). Most copies are client retries within seconds; they are found here, also when
 *       their clocks put them a little before the first copy.</li>
 *   <li><b>cold</b> ({@value #COLD_STORE}): a 16-byte hash of the key ({@link ColdIds}), filed under the start of
 *       its receipt time's bucket (half a horizon), with the first receipt time as value. A copy that the hot tier
 *       does not know is looked up with one point read per bucket the horizon spans (three), which RocksDB's
 *       Bloom filters answer without reading data for an id never seen, the common case.</li>
 * </ul>
 * Both stores are changelogged in the same transaction as the output, so after a crash or restart the tiers agree
 * with what was counted.
 */
public final class DedupeProcessor implements Processor<String, UsageEvent, String, UsageEvent> {
    public static final String HOT_STORE = "dedupe";
    public static final String COLD_STORE = "dedupe-cold";

    private final Duration hotWindow;
    private final ColdIds cold;
    private final Runnable onDuplicate;
    private ProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> hot;
    private WindowStore<Bytes, Long> coldStore;

    /** How long the cold store keeps ids, for this lateness horizon. */
    public static Duration coldRetention(final Duration horizon) {
        return ColdIds.retention(horizon, Windowing.SLACK);
    }

    public DedupeProcessor(final Duration hotWindow, final Duration horizon, final Runnable onDuplicate) {
        this.hotWindow = hotWindow;
        this.cold = new ColdIds(horizon);
        this.onDuplicate = onDuplicate;
    }

    @Override
    public void init(final ProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.hot = context.getStateStore(HOT_STORE);
        this.coldStore = context.getStateStore(COLD_STORE);
    }

    @Override
    public void process(final Record<String, UsageEvent> record) {
        final long time = record.timestamp();
        final long hotMillis = hotWindow.toMillis();
        try (WindowStoreIterator<Long> copies = hot.fetch(record.key(), time - hotMillis, time + hotMillis)) {
            if (copies.hasNext()) {
                onDuplicate.run();
                return;
            }
        }
        final Bytes id = cold.id(record.key());
        for (long bucket = cold.firstBucket(time); bucket <= cold.bucket(time); bucket += cold.bucketMillis()) {
            final Long firstReceived = coldStore.fetch(id, bucket);
            if (firstReceived != null && cold.withinHorizon(firstReceived, time)) {
                onDuplicate.run();
                return;
            }
        }
        hot.put(record.key(), time, time);
        coldStore.put(id, time, cold.bucket(time));
        context.forward(record);
    }
}
