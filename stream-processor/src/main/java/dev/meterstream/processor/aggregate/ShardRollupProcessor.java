package dev.meterstream.processor.aggregate;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.event.WindowTotals;
import dev.meterstream.support.limits.RecentlyUsed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Totals over all subjects, per tenant, meter and window, of the events of one raw partition (a shard): what
 * answers "usage of all subjects" without reading every subject's series. It runs where the events are sequenced,
 * so it needs no repartitioning: each task sums its own partition's events, and a reader merges the shards.
 *
 * <p>Each event updates three totals, so this sits on the hottest path. The totals changed since the last commit
 * are held as objects in a hash map and written, each once, to the store (RocksDB and its changelog) and sent to
 * {@code usage.aggregates} just before each commit ({@link CommitHookStore}), in the same transaction as the input
 * offsets they cover: so the views are never declared complete through an event whose totals are still to come.
 * Until session 32 they went through Kafka Streams' record cache, which cost a serialisation and two walks of its
 * sorted byte map per total and event (docs/benchmarks.md, "Session 32"); the store's bytes and changelog are the
 * same. Totals already written are kept as objects too, the most recently used {@link #HELD} of them, so that the
 * next commit's first update of a total does not read it back from RocksDB. Both are emptied whenever Kafka Streams
 * initialises the processor (after every restore, and for a task revived after an aborted transaction), so they
 * never know a total the store does not. Totals older than the retention are deleted hourly.
 */
public final class ShardRollupProcessor implements Processor<String, SequencedEvent, String, WindowAggregate> {
    public static final String STORE = StoreNames.ROLLUP;
    /**
     * Written totals held per task: a shard's live totals are its tenants' meters times three windows, and an hour
     * of minutes more while late events trickle in.
     */
    static final int HELD = 20_000;

    private final Duration horizon;
    private KeyValueStore<Bytes, byte[]> totals;
    /** Totals changed since the last commit: what the commit hook writes and sends. */
    private final Map<String, WindowTotals> changed = new HashMap<>();
    /** Totals already written, the most recently used last. */
    private final Map<String, WindowTotals> held = new RecentlyUsed<>(HELD);
    private BiConsumer<String, WindowAggregate> send;

    /**
     * @param horizon how long after a window ends its total is kept (lateness horizon plus slack)
     */
    public ShardRollupProcessor(final Duration horizon) {
        this.horizon = horizon;
    }

    /** The rollup store: its keys are the rollup keys in UTF-8, its values {@link WindowTotalsStoreSerde}'s bytes. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> store() {
        return CommitHookStore.builder(STORE);
    }

    @Override
    public void init(final ProcessorContext<String, WindowAggregate> context) {
        totals = context.getStateStore(STORE);
        send = CommitForwarder.sender(context);
        changed.clear();
        held.clear();
        CommitHookStore.beforeCommit(totals, this::write);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final UsageEvent event = record.value().event();
        for (final WindowSize size : WindowSize.values()) {
            final String key = WindowAggregate.rollupKey(event, size, record.value().partition());
            WindowTotals known = changed.get(key);
            if (known == null) {
                known = held.remove(key);
            }
            if (known == null) {
                final byte[] stored = totals.get(bytes(key));
                known = stored == null ? null : WindowTotalsStoreSerde.read(stored);
            }
            changed.put(key, known == null ? WindowTotals.of(event) : known.add(event));
        }
    }

    private void write() {
        for (final Map.Entry<String, WindowTotals> entry : changed.entrySet()) {
            totals.put(bytes(entry.getKey()), WindowTotalsStoreSerde.write(entry.getValue()));
            send.accept(entry.getKey(), WindowAggregate.ofRollupKey(entry.getKey(), entry.getValue()));
            held.put(entry.getKey(), entry.getValue());
        }
        changed.clear();
    }

    private void expire(final long streamTime) {
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = totals.all()) {
            while (all.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = all.next();
                final String key = new String(entry.key.get(), StandardCharsets.UTF_8);
                if (expired(key, streamTime)) {
                    expired.add(key);
                }
            }
        }
        changed.keySet().removeIf(key -> expired(key, streamTime));
        expired.forEach(key -> {
            totals.delete(bytes(key));
            held.remove(key);
        });
    }

    private boolean expired(final String key, final long streamTime) {
        return WindowAggregate.rollupWindowEnd(key).plus(horizon).toEpochMilli() < streamTime;
    }

    private static Bytes bytes(final String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
