package dev.meterstream.processor.dedupe;

import dev.meterstream.event.UsageEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops copies of events already seen. An event's identity is its key ({@code tenant/id}); every copy lands on the
 * same partition, so one task sees them all. A key is remembered, at its record time, in a window store whose
 * retention is the dedupe window: the store expires old segments by itself, so memory and disk stay bounded
 * (about 100 bytes per remembered event; see docs/architecture.md), and a copy arriving more than the window after
 * the first is counted again.
 */
public final class DedupeProcessor implements Processor<String, UsageEvent, String, UsageEvent> {
    public static final String STORE = "dedupe";

    private final Duration window;
    private final Runnable onDuplicate;
    private ProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    public DedupeProcessor(final Duration window, final Runnable onDuplicate) {
        this.window = window;
        this.onDuplicate = onDuplicate;
    }

    @Override
    public void init(final ProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<String, UsageEvent> record) {
        final long time = record.timestamp();
        final long windowMillis = window.toMillis();
        try (WindowStoreIterator<Long> copies = seen.fetch(record.key(), time - windowMillis, time + windowMillis)) {
            if (copies.hasNext()) {
                onDuplicate.run();
                return;
            }
        }
        seen.put(record.key(), time, time);
        context.forward(record);
    }
}
