package dev.meterstream.processor.aggregate;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;

/**
 * Sends records downstream from outside {@code process}: from a {@link CommitHookStore}'s hook just before each
 * commit, where a processor that holds its changed totals as objects writes and sends them. So every update a
 * commit covers is in that commit's output, folded to one record per key, as the DSL's aggregations emit from their
 * record cache's flush; a processor that sends on a punctuation instead can be committed past an update it has not
 * sent.
 *
 * <p>Kafka Streams lets only {@code process} forward, so this class is the one place that reaches into its
 * internals for it: the processor node a forward outside {@code process} must name. A Kafka upgrade that changes
 * them breaks {@code UsageTopologyTest} at once.
 */
public final class CommitForwarder {
    private CommitForwarder() {
    }

    /**
     * A way for the processor whose {@code init} calls this to send records from outside {@code process}, from a
     * {@link CommitHookStore}'s hook: each is stamped with the task's stream time and sent from the processor's node.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> BiConsumer<K, V> sender(final ProcessorContext<K, V> context) {
        final InternalProcessorContext<K, V> internal = (InternalProcessorContext<K, V>) context;
        final Consumer<Record<K, V>> send = recordSender(context);
        return (key, value) -> send.accept(new Record<>(key, value, internal.currentStreamTimeMs()));
    }

    /** As {@link #sender}, for records that carry their own time. */
    @SuppressWarnings("unchecked")
    public static <K, V> Consumer<Record<K, V>> recordSender(final ProcessorContext<K, V> context) {
        final InternalProcessorContext<K, V> internal = (InternalProcessorContext<K, V>) context;
        final ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
        return record -> forwardFrom(internal, node, record);
    }

    /** Forwards {@code record} as {@code node} would: outside {@code process}, no node is the current one. */
    private static <K, O> void forwardFrom(final InternalProcessorContext<K, O> internal,
                                           final ProcessorNode<?, ?, ?, ?> node, final Record<K, O> record) {
        final ProcessorNode<?, ?, ?, ?> previous = internal.currentNode();
        internal.setCurrentNode(node);
        try {
            internal.forward(record);
        } finally {
            internal.setCurrentNode(previous);
        }
    }
}
