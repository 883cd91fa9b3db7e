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
 * <p>Updated totals are not sent per event: the store is cached, and its changed keys are sent when Kafka Streams
 * flushes the cache, before every commit ({@link CommitForwarder}). So a commit that covers an event also carries
 * its totals, and the views are never declared complete through an event whose totals are still to come. (Sending
 * on a wall-clock punctuation instead left a window of up to one interval in which they were.) The store is
 * changelogged and committed with everything else, so under exactly-once a crash sends no total twice in the
 * committed output. Totals older than the retention are deleted hourly.
 *
 * <p>Each event updates three totals, so the store sits on the hottest path. The totals touched since the last
 * flush are also held as objects: a key's second and later updates read the object instead of deserialising the
 * cache's copy. This is safe because every write to the store passes through here, a flush forgets the keys it
 * sends, and Kafka Streams calls {@link #init} again whenever it restores the store (after a crash, a rebalance or
 * a task revived under exactly-once), which forgets them all.
 */
public final class ShardRollupProcessor implements Processor<String, SequencedEvent, String, WindowAggregate> {
    public static final String STORE = StoreNames.ROLLUP;

    private final Duration horizon;
    /** Rollup key to totals: the key says whose totals and which window, so the value holds only the totals. */
    private KeyValueStore<String, WindowTotals> totals;
    /** The totals written since the last flush, as written to {@link #totals}. */
    private final Map<String, WindowTotals> touched = new HashMap<>();

    /**
     * @param horizon how long after a window ends its total is kept (lateness horizon plus slack)
     */
    public ShardRollupProcessor(final Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void init(final ProcessorContext<String, WindowAggregate> context) {
        this.totals = context.getStateStore(STORE);
        touched.clear();
        CommitForwarder.install(context, totals, WindowAggregate::ofRollupKey, touched::remove);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final UsageEvent event = record.value().event();
        for (final WindowSize size : WindowSize.values()) {
            final String key = WindowAggregate.rollupKey(event, size, record.value().partition());
            final WindowTotals known = touched.get(key);
            final WindowTotals total = known != null ? known : totals.get(key);
            final WindowTotals updated = total == null ? WindowTotals.of(event) : total.add(event);
            totals.put(key, updated);
            touched.put(key, updated);
        }
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
        expired.forEach(key -> {
            totals.delete(key);
            touched.remove(key);
        });
    }
}
