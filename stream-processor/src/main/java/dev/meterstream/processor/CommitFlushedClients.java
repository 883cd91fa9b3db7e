package dev.meterstream.processor;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, except for two things a transactional producer does.
 *
 * <p><b>It sends a transaction's records when it commits, not once per task.</b> Before committing, Kafka Streams
 * flushes the thread's producer once for every task that processed anything, and each flush is a produce request
 * the thread waits for (and, on the broker, a transaction verification): with 24 tasks, two threads and a commit
 * a second, about 26 produce requests/s carrying a few hundred bytes each at 500 events/s (docs/benchmarks.md,
 * "Session 11"). Under exactly-once that wait buys nothing: {@link KafkaProducer#commitTransaction()} sends every
 * record of the transaction first and commits none of it if any send failed, so what a commit makes visible is
 * unchanged. Producers without a transactional id
 * (at-least-once) flush as before: there the flush is what makes committing the input offsets safe.
 *
 * <p><b>After it aborts a transaction, it refuses to begin the next one</b>, as a fenced producer does, so that Kafka
 * Streams closes every task of the thread dirty and resumes them all from the last commit, with a new producer. Under
 * exactly-once v2 a transaction is the whole thread's, and Kafka Streams aborts it when it closes one task dirty; it
 * commits the thread's other tasks first, except while a rebalance is in progress (4.3.1,
 * {@code TaskManager.handleCorruption}: a task found corrupted as it is restored, then {@code rebalanceInProgress}).
 * Then the running tasks carry on past input whose output was just discarded, with stores that still hold what it
 * did: ids handed out (gaps in the log), dedupe entries (copies dropped as duplicates) and rollup totals that count
 * events the log lost. {@code ./dev load --instances 2 --kill-instances} found it (docs/benchmarks.md, "Session
 * 23"). Where Kafka Streams does revive every task after an abort (a lost or fenced thread), it makes a new
 * producer, and this one's refusal is never seen; where it does not, the refusal is a {@code TaskMigratedException}
 * that makes it do so.
 *
 * <p>The admin client and consumers are made as Kafka Streams' own {@code DefaultKafkaClientSupplier} makes them
 * (4.3.1); that class is in its internals package, so this one does not extend it.
 */
final class CommitFlushedClients implements KafkaClientSupplier {
    @Override
    public Admin getAdmin(final Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(final Map<String, Object> config) {
        return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) == null
                ? new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())
                : new CommitFlushedProducer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(final Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(final Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(final Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(final Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static final class CommitFlushedProducer extends KafkaProducer<byte[], byte[]> {
        private volatile boolean aborted;

        CommitFlushedProducer(final Map<String, Object> config) {
            super(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void flush() {
            // commitTransaction() flushes; see the class comment.
        }

        @Override
        public void abortTransaction() {
            // Set first: an abort that fails (fenced, say) leaves the transaction aborted all the same.
            aborted = true;
            super.abortTransaction();
        }

        @Override
        public void beginTransaction() {
            if (aborted) {
                throw new ProducerFencedException("this producer aborted a transaction: every task of the thread must "
                        + "resume from its last commit (CommitFlushedClients)");
            }
            super.beginTransaction();
        }
    }
}
