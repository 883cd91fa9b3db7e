package dev.meterstream.processor.log;

import dev.meterstream.event.StoreNames;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.processor.aggregate.Windowing;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Drops copies of events already seen: any copy of (tenant, id) that arrives within the lateness horizon of the
 * first copy's receipt is dropped, whatever its payload (the first copy wins). An event's identity is its key
 * ({@code tenant/id}); every copy lands on the same partition, so one task sees them all. Times are record times
 * (when the edge sent the copy).
 *
 * <p>Two tiers:
 * <ul>
 *   <li><b>hot</b> ({@link HotIds}): the keys of the last {@code processor.dedupe-hot-window} in memory, at most
 *       {@code processor.dedupe-hot-max-ids} per task. Most copies are client retries within seconds; they are
 *       found here without touching RocksDB.</li>
 *   <li><b>cold</b> ({@value #COLD_STORE}, a RocksDB window store, changelogged): the authority. A 16-byte hash of
 *       every key ({@link ColdIds}), filed under the start of its receipt time's bucket (half a horizon), with the
 *       first receipt time as value. A copy the hot tier does not know costs one point read per bucket the horizon
 *       spans (three), which RocksDB's Bloom filters answer without reading data for an id never seen, the common
 *       case. The store expires whole segments by itself, so disk holds the ids of a horizon and a half.</li>
 * </ul>
 * The cold store commits in the same transaction as the output, so after a crash or restart it agrees with what was
 * counted; the hot tier starts empty on every (re)initialisation, so it never knows more than the store.
 */
public final class DedupeProcessor implements Processor<String, UsageEvent, String, UsageEvent> {
    public static final String COLD_STORE = StoreNames.DEDUPE_COLD;

    private final HotIds hot;
    private final ColdIds cold;
    private final long skewMillis;
    private final Runnable onDuplicate;
    private ProcessorContext<String, UsageEvent> context;
    private WindowStore<Bytes, Long> coldStore;

    /**
     * @param hotWindow   how long a key stays in memory
     * @param hotMaxIds   most keys in memory per task
     * @param horizon     the lateness horizon: how long after the first copy's receipt a copy is still dropped
     * @param onDuplicate counts a dropped copy
     */
    public DedupeProcessor(final Duration hotWindow, final int hotMaxIds, final Duration horizon,
                           final Runnable onDuplicate) {
        this.hot = new HotIds(hotWindow.toMillis(), hotMaxIds);
        this.cold = new ColdIds(horizon);
        // A copy may carry a slightly earlier record time than the first (two edges' clocks): its first copy may
        // then sit in the next bucket. The edge's clocks are trusted to this much, as the hot window.
        this.skewMillis = hotWindow.toMillis();
        this.onDuplicate = onDuplicate;
    }

    /** How long the cold store keeps ids, for this lateness horizon. */
    public static Duration coldRetention(final Duration horizon) {
        return ColdIds.retention(horizon, Windowing.SLACK);
    }

    @Override
    public void init(final ProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.coldStore = context.getStateStore(COLD_STORE);
        hot.clear();
    }

    @Override
    public void process(final Record<String, UsageEvent> record) {
        final long time = record.timestamp();
        if (hot.seen(record.key(), time)) {
            onDuplicate.run();
            return;
        }
        final Bytes id = cold.id(record.key());
        final long lastBucket = cold.bucket(time + skewMillis);
        for (long bucket = cold.firstBucket(time); bucket <= lastBucket; bucket += cold.bucketMillis()) {
            final Long firstReceived = coldStore.fetch(id, bucket);
            if (firstReceived != null && cold.withinHorizon(firstReceived, time)) {
                onDuplicate.run();
                return;
            }
        }
        hot.add(record.key(), time);
        coldStore.put(id, time, cold.bucket(time));
        context.forward(record);
    }
}
