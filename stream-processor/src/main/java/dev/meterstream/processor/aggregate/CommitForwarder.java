package dev.meterstream.processor.aggregate;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Sends a cached store's changed entries downstream when Kafka Streams flushes its record cache: before every
 * commit (and when the cache is full). So every update a commit covers is in that commit's output, folded to one
 * record per key. It is how the DSL's aggregations emit (its KTables use the same flush listener); a processor that
 * sends on a punctuation instead can be committed past an update it has not sent.
 *
 * <p>Kafka Streams offers this only to the DSL, so this class is the one place that reaches into its internals: the
 * flush listener of the store's cache, and the processor node a forward outside {@code process} must name. A Kafka
 * upgrade that changes them breaks {@code UsageTopologyTest} at once.
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

    /**
     * Forwards {@code output(key, value)} for every key written to {@code store} since the last flush; deletions are
     * not sent. Call from {@link org.apache.kafka.streams.processor.api.Processor#init}, where the processor's node
     * is the current one.
     *
     * @param flushed told each key as it is sent, before the forward
     */
    @SuppressWarnings("unchecked")
    public static <K, V, O> void install(final ProcessorContext<K, O> context, final KeyValueStore<K, V> store,
                                         final BiFunction<K, V, O> output, final Consumer<K> flushed) {
        final InternalProcessorContext<K, O> internal = (InternalProcessorContext<K, O>) context;
        final ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
        final boolean cached = ((CachedStateStore<K, V>) store).setFlushListener(record -> {
            final V value = record.value().newValue;
            flushed.accept(record.key());
            if (value != null) {
                forwardFrom(internal, node, new Record<>(record.key(), output.apply(record.key(), value),
                        record.timestamp()));
            }
        }, false);
        if (!cached) {
            throw new IllegalStateException("store " + store.name() + " needs caching enabled to send on commit");
        }
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
