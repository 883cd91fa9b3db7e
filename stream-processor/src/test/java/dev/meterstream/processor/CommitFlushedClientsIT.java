package dev.meterstream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processor's transactional producers leave a transaction's records to its commit (one produce request per
 * commit instead of one per task), and the commit still sends every one of them before it makes them visible.
 * After an abort, a transactional producer begins no other transaction (Kafka Streams then resumes every task of
 * the thread from its last commit). Producers without a transaction flush as Kafka's do.
 */
@ExtendWith(InfraExtension.class)
class CommitFlushedClientsIT {
    // As the processor's producers linger (three commit intervals): nothing is sent unless something asks for it.
    private static final int LINGER_MS = 60_000;

    @Test
    void shouldSendATransactionsRecordsAtItsCommitNotAtAFlush(final KafkaEndpoint kafka) throws Exception {
        final String topic = topic(kafka);
        final Map<String, Object> config = producerConfig(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "commit-flushed-" + UUID.randomUUID());
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = new CommitFlushedClients().getProducer(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, ("record-" + i).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            assertTrue(sent.stream().noneMatch(Future::isDone), "flush() sent the transaction's records");

            producer.commitTransaction();
            assertTrue(sent.stream().allMatch(Future::isDone), "the commit returned before its records were sent");
            for (final Future<RecordMetadata> each : sent) {
                each.get();
            }
        }
        assertEquals(List.of("record-0", "record-1", "record-2"), readCommitted(kafka, topic, 3));
    }

    @Test
    void shouldRefuseToBeginAfterAnAbortSoThatEveryTaskOfTheThreadResumesFromItsLastCommit(final KafkaEndpoint kafka)
            throws Exception {
        final String topic = topic(kafka);
        final Map<String, Object> config = producerConfig(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "commit-flushed-" + UUID.randomUUID());
        try (Producer<byte[], byte[]> producer = new CommitFlushedClients().getProducer(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted".getBytes(StandardCharsets.UTF_8)));
            producer.abortTransaction();
            // Kafka Streams turns this into a TaskMigratedException: every task closed dirty, a new producer.
            assertThrows(ProducerFencedException.class, producer::beginTransaction);
        }
        try (Producer<byte[], byte[]> replacement = new CommitFlushedClients().getProducer(config)) {
            replacement.initTransactions();
            replacement.beginTransaction();
            replacement.send(new ProducerRecord<>(topic, "after".getBytes(StandardCharsets.UTF_8)));
            replacement.commitTransaction();
        }
        assertEquals(List.of("after"), readCommitted(kafka, topic, 1));
    }

    @Test
    void shouldFlushAsKafkaDoesWithoutATransaction(final KafkaEndpoint kafka) throws Exception {
        final String topic = topic(kafka);
        try (Producer<byte[], byte[]> producer = new CommitFlushedClients().getProducer(producerConfig(kafka))) {
            final Future<RecordMetadata> sent = producer.send(
                    new ProducerRecord<>(topic, "plain".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            assertTrue(sent.isDone(), "flush() returned before the record was sent");
            sent.get();
        }
        assertEquals(List.of("plain"), readCommitted(kafka, topic, 1));
    }

    private static Map<String, Object> producerConfig(final KafkaEndpoint kafka) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static String topic(final KafkaEndpoint kafka) throws Exception {
        final String topic = "commit-flushed-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, kafka.replicationFactor()))).all().get();
        }
        return topic;
    }

    private static List<String> readCommitted(final KafkaEndpoint kafka, final String topic, final int expected) {
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "commit-flushed-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<String> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = new CommitFlushedClients().getConsumer(config)) {
            consumer.subscribe(List.of(topic));
            Await.until("the committed records are readable", Duration.ofSeconds(30), () -> {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
