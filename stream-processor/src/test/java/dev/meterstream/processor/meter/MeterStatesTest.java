package dev.meterstream.processor.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterInput;
import dev.meterstream.meter.MeterRecordKey;
import dev.meterstream.meter.MeterSource;
import dev.meterstream.meter.MeterStateBytes;
import dev.meterstream.meter.MeterWindowKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What TopologyTestDriver cannot show: it commits after every record, so a state dropped from the objects held and
 * read back before the next commit never happens there.
 */
class MeterStatesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private KeyValueStore<Bytes, byte[]> store;
    private final List<Bytes> written = new ArrayList<>();

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("states"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    private static MeterRecordKey.State key(final String subject) {
        return new MeterRecordKey.State(new MeterWindowKey("acme", "tokens", 1, subject, Map.of(), WindowSize.HOUR,
                T0), 0, MeterSource.LIVE);
    }

    private static MeterInput tokens(final long value) {
        return new MeterInput(Map.of(), BigDecimal.valueOf(value), null, T0, 0);
    }

    private long stored(final MeterRecordKey.State key) {
        return MeterStateBytes.read(store.get(Bytes.wrap(key.bytes()))).number().longValueExact();
    }

    @Test
    void aStateDroppedBeforeTheCommitShouldBeWrittenAndReadBack() {
        final MeterStates states = new MeterStates(store, 2, (key, value) -> written.add(key));
        states.fold(key("a"), Aggregation.SUM, tokens(1));
        states.fold(key("b"), Aggregation.SUM, tokens(10));
        states.fold(key("c"), Aggregation.SUM, tokens(100));
        assertEquals(1, stored(key("a")), "the least recently used, changed, is written as it is dropped");
        assertNull(store.get(Bytes.wrap(key("b").bytes())), "the others wait for the commit");

        states.fold(key("a"), Aggregation.SUM, tokens(2));
        states.writeChanged();
        assertEquals(3, stored(key("a")), "read back from the store, not started again");
        assertEquals(10, stored(key("b")));
        assertEquals(100, stored(key("c")));
        assertEquals(List.of(Bytes.wrap(key("a").bytes()), Bytes.wrap(key("a").bytes()),
                Bytes.wrap(key("b").bytes()), Bytes.wrap(key("c").bytes())).stream().sorted().toList(),
                written.stream().sorted().toList(), "each write is told once");
    }

    @Test
    void aStateShouldBeWrittenOncePerCommitHoweverOftenItChanges() {
        final MeterStates states = new MeterStates(store, 100, (key, value) -> written.add(key));
        for (int i = 0; i < 5; i++) {
            states.fold(key("a"), Aggregation.SUM, tokens(1));
        }
        states.writeChanged();
        states.writeChanged();
        assertEquals(5, stored(key("a")));
        assertEquals(List.of(Bytes.wrap(key("a").bytes())), written);
    }
}
