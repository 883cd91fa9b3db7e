package dev.meterstream.processor.aggregate;

import dev.meterstream.event.StoreNames;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.event.WindowTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Totals over all subjects, per tenant, meter and window, of the events of one raw partition (a shard): what
 * answers "usage of all subjects" without reading every subject's series. It runs where the events are sequenced,
 * so it needs no repartitioning: each task sums its own partition's events, and a reader merges the shards.
 *
 * <p>Updated totals are not sent per event: the keys changed are remembered in a second store, and every
 * {@code emitInterval} (wall clock) the current totals of those keys are sent and the keys forgotten. Both stores
 * are changelogged and committed with everything else, so under exactly-once a crash loses no pending key and
 * sends no total twice in the committed output. Totals older than the retention are deleted hourly.
 *
 * <p>Each event updates three totals, so the stores sit on the hottest path. The totals touched since the last emit
 * are also held as objects: a key's second and later updates in an interval read the object instead of
 * deserialising the store's copy, and mark the key pending only once. This is safe because every write to the
 * store passes through here, and Kafka Streams calls {@link #init} again whenever it restores the stores (after a
 * crash, a rebalance or a task revived under exactly-once), which forgets the objects.
 */
public final class ShardRollupProcessor implements Processor<String, SequencedEvent, String, WindowAggregate> {
    public static final String STORE = StoreNames.ROLLUP;
    public static final String PENDING = StoreNames.ROLLUP_PENDING;
    private static final byte[] MARK = new byte[0];

    private final Duration emitInterval;
    private final Duration horizon;
    private ProcessorContext<String, WindowAggregate> context;
    /** Rollup key to totals: the key says whose totals and which window, so the value holds only the totals. */
    private KeyValueStore<String, WindowTotals> totals;
    private KeyValueStore<String, byte[]> pending;
    /** The totals written since the last emit, as written to {@link #totals}. */
    private final Map<String, WindowTotals> touched = new HashMap<>();

    /**
     * @param emitInterval how often changed totals are sent (the commit interval suits)
     * @param horizon      how long after a window ends its total is kept (lateness horizon plus slack)
     */
    public ShardRollupProcessor(final Duration emitInterval, final Duration horizon) {
        this.emitInterval = emitInterval;
        this.horizon = horizon;
    }

    @Override
    public void init(final ProcessorContext<String, WindowAggregate> context) {
        this.context = context;
        this.totals = context.getStateStore(STORE);
        this.pending = context.getStateStore(PENDING);
        touched.clear();
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::emit);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final UsageEvent event = record.value().event();
        for (final WindowSize size : WindowSize.values()) {
            final String key = WindowAggregate.rollupKey(event, size, record.value().partition());
            WindowTotals total = touched.get(key);
            if (total == null) {
                total = totals.get(key);
                pending.put(key, MARK);
            }
            final WindowTotals updated = total == null ? WindowTotals.of(event) : total.add(event);
            totals.put(key, updated);
            touched.put(key, updated);
        }
    }

    private void emit(final long now) {
        final List<String> sent = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> changed = pending.all()) {
            while (changed.hasNext()) {
                final String key = changed.next().key;
                final WindowTotals known = touched.get(key);
                final WindowTotals total = known != null ? known : totals.get(key);
                if (total != null) {
                    context.forward(new Record<>(key, WindowAggregate.ofRollupKey(key, total), now));
                }
                sent.add(key);
            }
        }
        sent.forEach(pending::delete);
        touched.clear();
    }

    private void expire(final long streamTime) {
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WindowTotals> all = totals.all()) {
            while (all.hasNext()) {
                final KeyValue<String, WindowTotals> entry = all.next();
                final WindowAggregate total = WindowAggregate.ofRollupKey(entry.key, entry.value);
                if (total.windowStart().plus(total.size().duration()).plus(horizon).toEpochMilli() < streamTime) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(totals::delete);
        expired.forEach(touched::remove);
    }
}
