package dev.meterstream.processor.aggregate;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.StoreNames;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.WindowAggregate;
import dev.meterstream.event.WindowSize;
import dev.meterstream.event.WindowTotals;
import dev.meterstream.support.limits.RecentlyUsed;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * A series' minute, hour and day totals, in event time (records arrive keyed by series and stamped with their
 * event's time). It does what the DSL's windowed aggregation did, with the same stores, bytes and output, but holds
 * the totals as objects instead of in Kafka Streams' record cache: that cache is a sorted map of byte keys, and at
 * 50,000 series walking it took a fifth of the stream threads' time (docs/benchmarks.md, "Session 26").
 *
 * <p>The totals changed since the last commit are held in a hash map and written, each once, to their window store
 * (RocksDB and the changelog) and sent to {@code usage.aggregates} just before each commit
 * ({@link CommitHookWindowStore}), in the same transaction as the input offsets they cover. Totals written before
 * are kept as objects too, the most recently used {@code heldEntries} of them, so that a series' hour and day are
 * not read back from RocksDB at its next event. Both are emptied whenever Kafka Streams initialises the processor
 * (after every restore, and for a task revived after an aborted transaction), so they never know a total the
 * stores do not.
 *
 * <p>As in the DSL, a record is not counted in a window that closed (its end at or before the newest event time
 * seen, less the grace): the grace is the lateness horizon plus a day, and the edge accepts nothing that late.
 */
public final class SeriesWindowsProcessor implements Processor<String, SequencedEvent, String, WindowAggregate> {
    private static final Logger LOG = Logger.getLogger(SeriesWindowsProcessor.class.getName());

    private final long graceMs;
    private final Map<WindowSize, TimestampedWindowStore<String, WindowTotals>> stores =
            new EnumMap<>(WindowSize.class);
    /** Totals changed since the last commit, per window size: what each store's hook writes. */
    private final Map<WindowSize, Map<Window, ValueAndTimestamp<WindowTotals>>> changed =
            new EnumMap<>(WindowSize.class);
    /** Totals already written, the most recently used first to go last. */
    private final Map<Window, ValueAndTimestamp<WindowTotals>> held;
    private Consumer<Record<String, WindowAggregate>> send;
    private long observedStreamTime = ConsumerRecord.NO_TIMESTAMP;

    /** A series' window of one size. */
    private record Window(String series, WindowSize size, long start) {
    }

    /**
     * @param grace       how long after a window ends it still takes events (lateness horizon plus a day)
     * @param heldEntries most written totals a task keeps as objects
     */
    public SeriesWindowsProcessor(final Duration grace, final int heldEntries) {
        this.graceMs = grace.toMillis();
        this.held = new RecentlyUsed<>(heldEntries);
    }

    /** The store of one window size's totals, as the DSL built it (so its state and changelog carry over). */
    public static StoreBuilder<TimestampedWindowStore<String, WindowTotals>> store(final WindowSize size,
                                                                                 final Duration latenessHorizon) {
        return CommitHookWindowStore.builder(StoreNames.aggregates(size),
                Windowing.retention(size, latenessHorizon), size.duration(), Serdes.String(),
                new WindowTotalsStoreSerde());
    }

    @Override
    public void init(final ProcessorContext<String, WindowAggregate> context) {
        send = CommitForwarder.recordSender(context);
        held.clear();
        observedStreamTime = ConsumerRecord.NO_TIMESTAMP;
        for (final WindowSize size : WindowSize.values()) {
            final TimestampedWindowStore<String, WindowTotals> store =
                    context.getStateStore(StoreNames.aggregates(size));
            stores.put(size, store);
            final Map<Window, ValueAndTimestamp<WindowTotals>> sizeChanged = new HashMap<>();
            changed.put(size, sizeChanged);
            CommitHookStore.beforeCommit(store, () -> write(store, sizeChanged));
        }
    }

    @Override
    public void process(final Record<String, SequencedEvent> record) {
        final long timestamp = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        final long closeTime = observedStreamTime - graceMs;
        final UsageEvent event = record.value().event();
        for (final WindowSize size : WindowSize.values()) {
            final long sizeMs = size.duration().toMillis();
            final long start = timestamp - Math.floorMod(timestamp, sizeMs);
            if (start + sizeMs <= closeTime) {
                LOG.warning(() -> "not counting " + record.key() + " at " + timestamp + " in its closed " + size
                        + " window (newest event time " + observedStreamTime + ")");
                continue;
            }
            final Window window = new Window(record.key(), size, start);
            final Map<Window, ValueAndTimestamp<WindowTotals>> sizeChanged = changed.get(size);
            ValueAndTimestamp<WindowTotals> known = sizeChanged.get(window);
            if (known == null) {
                known = held.remove(window);
            }
            if (known == null) {
                known = stores.get(size).fetch(record.key(), start);
            }
            sizeChanged.put(window, known == null
                    ? ValueAndTimestamp.make(WindowTotals.of(event), timestamp)
                    : ValueAndTimestamp.make(known.value().add(event), Math.max(timestamp, known.timestamp())));
        }
    }

    private void write(final TimestampedWindowStore<String, WindowTotals> store,
                       final Map<Window, ValueAndTimestamp<WindowTotals>> sizeChanged) {
        for (final Map.Entry<Window, ValueAndTimestamp<WindowTotals>> entry : sizeChanged.entrySet()) {
            final Window window = entry.getKey();
            final ValueAndTimestamp<WindowTotals> totals = entry.getValue();
            store.put(window.series(), totals, window.start());
            final WindowAggregate aggregate = WindowAggregate.ofSeries(window.series(), window.size(),
                    Instant.ofEpochMilli(window.start()), totals.value());
            send.accept(new Record<>(aggregate.key(), aggregate, totals.timestamp()));
            held.put(window, totals);
        }
        sizeChanged.clear();
    }
}
