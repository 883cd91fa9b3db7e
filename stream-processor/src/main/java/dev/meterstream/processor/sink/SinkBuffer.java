package dev.meterstream.processor.sink;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.WindowAggregate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records gathered since the last flush (everything polled since: the consumer's positions are what is
 * committed once they are written). Aggregates are
 * absolute values, so only the newest per key is kept: a series updated many times between flushes is one row
 * write.
 */
final class SinkBuffer {
    private final List<SequencedEvent> events = new ArrayList<>();
    private final Map<String, WindowAggregate> aggregates = new LinkedHashMap<>();
    private long firstRecordNanos;
    private int records;

    void addEvent(final SequencedEvent event) {
        events.add(event);
        consumed();
    }

    void addAggregate(final String key, final WindowAggregate aggregate) {
        aggregates.remove(key);
        aggregates.put(key, aggregate);
        consumed();
    }

    /** A record read but with nothing to write (skipped): still committed with the rest. */
    void consumed() {
        if (records == 0) {
            firstRecordNanos = System.nanoTime();
        }
        records++;
    }

    List<SequencedEvent> events() {
        return events;
    }

    Collection<WindowAggregate> aggregates() {
        return aggregates.values();
    }

    int records() {
        return records;
    }

    boolean isEmpty() {
        return records == 0;
    }

    long ageNanos() {
        return records == 0 ? 0 : System.nanoTime() - firstRecordNanos;
    }

    void clear() {
        events.clear();
        aggregates.clear();
        records = 0;
    }
}
