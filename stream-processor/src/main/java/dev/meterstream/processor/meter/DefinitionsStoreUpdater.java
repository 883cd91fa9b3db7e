package dev.meterstream.processor.meter;

import dev.meterstream.event.StoreNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global definitions store as the definitions topic says: each record replaces its meter's, a tombstone
 * (compaction's, never query-api's: a delete is a record) removes it. Records are read as they are by
 * {@link LiveMeters}, which is where a bad one is judged.
 */
public final class DefinitionsStoreUpdater implements Processor<String, byte[], Void, Void> {
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.METER_DEFINITIONS);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
