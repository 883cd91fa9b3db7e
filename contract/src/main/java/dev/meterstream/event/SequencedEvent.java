package dev.meterstream.event;

/**
 * A distinct event in the canonical log ({@link Topics#EVENTS}): the event and its partition-scoped ID.
 *
 * <p>The ID is {@code (partition, sequence)}: the raw-topic partition the event was read from and its position
 * among the distinct events of that partition, counting from 0. Within a partition sequences are dense (no gaps),
 * strictly increasing in log order, and the same after a crash, restart, rebalance or replay of the same input.
 * {@link #id()} renders it as {@code <partition>-<sequence>}, e.g. {@code 7-42}; {@link #packed()} as one long
 * (partition in the high 16 bits, sequence in the low 48), which sorts like the pair.
 */
public record SequencedEvent(UsageEvent event, int partition, long sequence) {
    public static final long MAX_SEQUENCE = (1L << 48) - 1;

    public SequencedEvent {
        if (partition < 0 || partition > 0xFFFF) {
            throw new IllegalArgumentException("partition must be 0-65535, was " + partition);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence must be 0-" + MAX_SEQUENCE + ", was " + sequence);
        }
    }

    public String id() {
        return partition + "-" + sequence;
    }

    public long packed() {
        return ((long) partition << 48) | sequence;
    }
}
