package dev.meterstream.processor.meter;

import dev.meterstream.event.EventRules;
import dev.meterstream.meter.StoredMeter;
import dev.meterstream.meter.StoredMeterJson;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** A definition record as read: its bytes, and the meter they hold (null: they do not read). */
    private record Read(byte[] value, StoredMeter meter) {
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

    /** Nothing read yet. */
    static LiveMeters none() {
        return new LiveMeters(Map.of(), List.of(), Map.of());
    }

    /**
     * The versions in force now. Each task reads the store every second ({@link LiveMeterProcessor#REFRESH}), and
     * definitions rarely change: a record whose bytes are those {@code previous} read is not parsed again (parsing
     * every definition every second per task was 5% of the processor's samples with 150 meters, session 19).
     */
    static LiveMeters read(final ReadOnlyKeyValueStore<String, byte[]> definitions, final EventRules rules,
                           final LiveMeters previous) {
        final Map<String, List<StoredMeter>> byType = new HashMap<>();
        final List<StoredMeter> all = new ArrayList<>();
        final Map<String, Read> records = new HashMap<>();
        try (KeyValueIterator<String, byte[]> each = definitions.all()) {
            while (each.hasNext()) {
                final KeyValue<String, byte[]> record = each.next();
                final Read known = previous.records.get(record.key);
                final Read read = known != null && Arrays.equals(known.value, record.value) ? known
                        : new Read(record.value, parse(record, rules));
                records.put(record.key, read);
                final StoredMeter meter = read.meter;
                if (meter != null && !meter.deleted()) {
                    byType.computeIfAbsent(typeKey(meter.tenant(), meter.definition().eventType()),
                            type -> new ArrayList<>()).add(meter);
                    all.add(meter);
                }
            }
        }
        return new LiveMeters(byType, List.copyOf(all), records);
    }

    private static StoredMeter parse(final KeyValue<String, byte[]> record, final EventRules rules) {
        try {
            return StoredMeterJson.read(record.value, rules);
        } catch (final IllegalArgumentException e) {
            // Only query-api writes the topic, and it writes what this reads; a record that does not read counts
            // nothing rather than stopping every meter.
            LOG.log(Level.WARNING, "meter definition " + record.key + " does not read; it counts nothing", e);
            return null;
        }
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
