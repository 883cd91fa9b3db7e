package dev.meterstream.processor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.Topics;
import dev.meterstream.event.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Sequences over many partitions at once. TopologyTestDriver feeds every record through partition 0, so this drives
 * the processor directly with the test-utils' MockProcessorContext, which lets each record name its partition.
 */
class SequenceProcessorTest {
    @Test
    void shouldGiveDenseGapFreeIdsPerPartitionWhenPartitionsInterleave() {
        final MockProcessorContext<String, SequencedEvent> context = new MockProcessorContext<>();
        final KeyValueStore<Integer, Long> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SequenceProcessor.STORE), Serdes.Integer(), Serdes.Long())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        final SequenceProcessor processor = new SequenceProcessor();
        processor.init(context);

        final int[] partitions = {3, 0, 3, 7, 0, 3, 7, 7, 7, 0, 11, 3};
        final Map<Integer, Long> offsets = new HashMap<>();
        for (int i = 0; i < partitions.length; i++) {
            final int partition = partitions[i];
            final long offset = offsets.merge(partition, 1L, Long::sum);
            context.setRecordMetadata(Topics.RAW, partition, offset);
            final UsageEvent event = new UsageEvent("acme", "e" + i, "s", "m", 1, Instant.EPOCH, Map.of(),
                    Instant.EPOCH);
            processor.process(new Record<>(event.key(), event, i));
        }

        final Map<Integer, List<Long>> byPartition = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        for (final MockProcessorContext.CapturedForward<? extends String, ? extends SequencedEvent> forward
                : context.forwarded()) {
            final SequencedEvent event = forward.record().value();
            byPartition.computeIfAbsent(event.partition(), p -> new ArrayList<>()).add(event.sequence());
            ids.add(event.id());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), byPartition.get(3));
        assertEquals(List.of(0L, 1L, 2L), byPartition.get(0));
        assertEquals(List.of(0L, 1L, 2L, 3L), byPartition.get(7));
        assertEquals(List.of(0L), byPartition.get(11));
        assertEquals(List.of("3-0", "0-0", "3-1", "7-0", "0-1", "3-2", "7-1", "7-2", "7-3", "0-2", "11-0", "3-3"), ids);
        assertEquals(4L, store.get(3));
    }
}
