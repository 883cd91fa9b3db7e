package dev.meterstream.processor.log;

import dev.meterstream.event.StoreNames;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Gives each distinct event its partition-scoped ID: the input partition and the next number of that partition's
 * sequence. The next number lives in a changelogged store that commits in the same transaction as the output and
 * the input offsets (exactly-once v2), so after a crash the uncommitted numbers are handed out again to the same
 * events, in the same order: dense, gap-free, and stable across restarts, rebalances and replays.
 */
public final class SequenceProcessor implements Processor<String, UsageEvent, String, SequencedEvent> {
    public static final String STORE = StoreNames.PARTITION_SEQUENCE;

    private ProcessorContext<String, SequencedEvent> context;
    private KeyValueStore<Integer, Long> next;

    @Override
    public void init(final ProcessorContext<String, SequencedEvent> context) {
        this.context = context;
        this.next = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<String, UsageEvent> record) {
        final int partition = context.recordMetadata().map(RecordMetadata::partition)
                .orElseThrow(() -> new IllegalStateException("a sequenced event needs its input partition"));
        final Long stored = next.get(partition);
        final long sequence = stored == null ? 0 : stored;
        next.put(partition, sequence + 1);
        context.forward(record.withValue(new SequencedEvent(record.value(), partition, sequence)));
    }
}
