package dev.meterstream.processor.meter;

import dev.meterstream.event.EventRules;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The meter versions in force (defined and not deleted), by tenant and event type: what an event is folded into.
 * Read whole from the global definitions store, which holds one record per meter (a few per tenant), so that the
 * per-event lookup is one hash map get.
 */
final class LiveMeters {
    private static final Logger LOG = Logger.getLogger(LiveMeters.class.getName());

    /** A record of the store as it was read, and what it said (null if it did not read). */
    private record Read(byte[] bytes, StoredMeter meter) {
    }

    private final Map<String, List<StoredMeter>> byType;
    private final List<StoredMeter> all;
    private final Map<String, Read> records;

    private LiveMeters(final Map<String, List<StoredMeter>> byType, final List<StoredMeter> all,
                       final Map<String, Read> records) {
        this.byType = byType;
        this.all = all;
        this.records = records;
    }

    static LiveMeters read(final ReadOnlyKeyValueStore<String, byte[]> definitions, final EventRules rules) {
        return read(definitions, rules, null);
    }

    /**
     * Reads the store again; a record unchanged since {@code previous} is not parsed again (every task does this
     * every second).
     */
    static LiveMeters read(final ReadOnlyKeyValueStore<String, byte[]> definitions, final EventRules rules,
                           final LiveMeters previous) {
        final Map<String, List<StoredMeter>> byType = new HashMap<>();
        final List<StoredMeter> all = new ArrayList<>();
        final Map<String, Read> read = new HashMap<>();
        try (KeyValueIterator<String, byte[]> records = definitions.all()) {
            while (records.hasNext()) {
                final KeyValue<String, byte[]> record = records.next();
                final Read known = previous == null ? null : previous.records.get(record.key);
                if (known != null && java.util.Arrays.equals(known.bytes, record.value)) {
                    read.put(record.key, known);
                    if (known.meter != null && !known.meter.deleted()) {
                        byType.computeIfAbsent(typeKey(known.meter.tenant(), known.meter.definition().eventType()),
                                type -> new ArrayList<>()).add(known.meter);
                        all.add(known.meter);
                    }
                    continue;
                }
                final StoredMeter meter;
                try {
                    meter = StoredMeterJson.read(record.value, rules);
                    read.put(record.key, new Read(record.value, meter));
                } catch (final IllegalArgumentException e) {
                    read.put(record.key, new Read(record.value, null));
                    // Only query-api writes the topic, and it writes what this reads; a record that does not
                    // read counts nothing rather than stopping every meter.
                    LOG.log(Level.WARNING, "meter definition " + record.key + " does not read; it counts nothing", e);
                    continue;
                }
                if (!meter.deleted()) {
                    byType.computeIfAbsent(typeKey(meter.tenant(), meter.definition().eventType()),
                            type -> new ArrayList<>()).add(meter);
                    all.add(meter);
                }
            }
        }
        return new LiveMeters(byType, List.copyOf(all), read);
    }

    /** The versions in force that take events of {@code eventType} from {@code tenant}. */
    List<StoredMeter> of(final String tenant, final String eventType) {
        final List<StoredMeter> meters = byType.get(typeKey(tenant, eventType));
        return meters == null ? List.of() : meters;
    }

    List<StoredMeter> all() {
        return all;
    }

    private static String typeKey(final String tenant, final String eventType) {
        // A tenant id never holds a line feed (EventRules), so the pair cannot be confused with another.
        return tenant + '\n' + eventType;
    }
}
