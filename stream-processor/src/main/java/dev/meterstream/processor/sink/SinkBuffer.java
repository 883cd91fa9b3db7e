package dev.meterstream.processor.sink;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.WindowAggregate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The records gathered since the last flush (everything polled since: the consumer's positions are what is
 * committed once they are written). Aggregates are absolute values, so only the newest per key is kept: a series
 * updated many times between flushes is one row write. Each entry keeps the record it came from, so that one the
 * views cannot take can be dead-lettered as it was read.
 */
final class SinkBuffer {
    /** One row source and the record it was read from. */
    record Entry<T>(T value, ConsumerRecord<byte[], byte[]> source) {
    }

    private final List<Entry<SequencedEvent>> events = new ArrayList<>();
    private final Map<Bytes, Entry<WindowAggregate>> aggregates = new LinkedHashMap<>();
    /** Defined meters' records by key (each an absolute value, so the newest per key is kept). */
    private final Map<Bytes, Entry<MeterRow>> meterRows = new LinkedHashMap<>();
    private long firstRecordNanos;
    private int records;

    void addEvent(final SequencedEvent event, final ConsumerRecord<byte[], byte[]> source) {
        events.add(new Entry<>(event, source));
        consumed();
    }

    void addAggregate(final Bytes key, final WindowAggregate aggregate,
                      final ConsumerRecord<byte[], byte[]> source) {
        aggregates.remove(key);
        aggregates.put(key, new Entry<>(aggregate, source));
        consumed();
    }

    void addMeterRow(final Bytes key, final MeterRow row, final ConsumerRecord<byte[], byte[]> source) {
        meterRows.remove(key);
        meterRows.put(key, new Entry<>(row, source));
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
        return events.stream().map(Entry::value).toList();
    }

    Collection<WindowAggregate> aggregates() {
        return aggregates.values().stream().map(Entry::value).toList();
    }

    Collection<MeterRow> meterRows() {
        return meterRows.values().stream().map(Entry::value).toList();
    }

    /** Every entry on its own, as a buffer of one (to find which of them a write cannot take). */
    List<SinkBuffer> singles() {
        final List<SinkBuffer> singles = new ArrayList<>(events.size() + aggregates.size() + meterRows.size());
        for (final Entry<SequencedEvent> event : events) {
            final SinkBuffer single = new SinkBuffer();
            single.events.add(event);
            singles.add(single);
        }
        for (final Map.Entry<Bytes, Entry<WindowAggregate>> aggregate : aggregates.entrySet()) {
            final SinkBuffer single = new SinkBuffer();
            single.aggregates.put(aggregate.getKey(), aggregate.getValue());
            singles.add(single);
        }
        for (final Map.Entry<Bytes, Entry<MeterRow>> row : meterRows.entrySet()) {
            final SinkBuffer single = new SinkBuffer();
            single.meterRows.put(row.getKey(), row.getValue());
            singles.add(single);
        }
        return singles;
    }

    /** The record of a buffer of one. */
    ConsumerRecord<byte[], byte[]> onlySource() {
        if (!events.isEmpty()) {
            return events.getFirst().source();
        }
        return aggregates.isEmpty() ? meterRows.values().iterator().next().source()
                : aggregates.values().iterator().next().source();
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
        meterRows.clear();
        records = 0;
    }
}
