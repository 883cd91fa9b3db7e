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

    private final Map<String, List<StoredMeter>> byType;
    private final List<StoredMeter> all;

    private LiveMeters(final Map<String, List<StoredMeter>> byType, final List<StoredMeter> all) {
        this.byType = byType;
        this.all = all;
    }

    static LiveMeters read(final ReadOnlyKeyValueStore<String, byte[]> definitions, final EventRules rules) {
        final Map<String, List<StoredMeter>> byType = new HashMap<>();
        final List<StoredMeter> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> records = definitions.all()) {
            while (records.hasNext()) {
                final KeyValue<String, byte[]> record = records.next();
                final StoredMeter meter;
                try {
                    meter = StoredMeterJson.read(record.value, rules);
                } catch (final IllegalArgumentException e) {
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
        return new LiveMeters(byType, List.copyOf(all));
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
