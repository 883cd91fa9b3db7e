package dev.meterstream.processor.topology;

import dev.meterstream.processor.aggregate.StateFormatException;
import dev.meterstream.event.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What Kafka Streams does with a record that fails in a processor or cannot be written: it goes to the dead-letter
 * topic (the input record's original bytes, with the reason and where it came from) and processing goes on.
 * Without these, the failure kills the stream thread, the replacement thread reads the same record and fails
 * again, and every partition of the task stops for good. Under exactly-once the dead letter is written in the
 * same transaction as everything else the task produced, so it is there exactly when the input counts as read.
 */
public final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class.getName());

    private DeadLetters() {
    }

    /** The dead letter of the input record being processed when {@code error} happened. */
    static ProducerRecord<byte[], byte[]> of(final ErrorHandlerContext context, final String stage,
                                             final Exception error) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DEAD_LETTER_REASON, (stage + " failed: " + error).getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DEAD_LETTER_SOURCE, source(context)
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.DEAD_LETTERS, null, null, context.sourceRawKey(),
                context.sourceRawValue(), headers);
    }

    private static String source(final ErrorHandlerContext context) {
        return Topics.deadLetterSource(context.topic(), context.partition(), context.offset());
    }

    /**
     * A processor threw: dead-letter the input record, count it, go on with the next. State in a format this
     * version does not read is not the record's fault: the thread fails instead, rather than drop the count.
     */
    public static final class Processing implements ProcessingExceptionHandler {
        @Override
        public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                    final Exception error) {
            if (error instanceof StateFormatException) {
                LOG.log(Level.SEVERE, "processor " + context.processorNodeId() + " read state it cannot read", error);
                return Response.fail();
            }
            LOG.log(Level.SEVERE, "processor " + context.processorNodeId() + " failed on "
                    + source(context) + "; dead-lettered", error);
            ProcessorMetrics.global().deadLetter();
            return Response.resume(List.of(of(context, "processor " + context.processorNodeId(), error)));
        }

        @Override
        public void configure(final Map<String, ?> configs) {
        }
    }

    /**
     * A record could not be written to an output topic. Retriable errors are retried; anything else (a record too
     * large, a serializer that refuses it) dead-letters the input record that made it, so that the event is kept
     * with its reason instead of stopping the task for good.
     */
    public static final class Production implements ProductionExceptionHandler {
        @Override
        public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                    final Exception error) {
            if (error instanceof RetriableException) {
                return Response.retry();
            }
            return deadLetter(context, "writing to " + record.topic(), error);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record,
                                                 final Exception error, final SerializationExceptionOrigin origin) {
            return deadLetter(context, "serializing the " + origin.name().toLowerCase() + " for " + record.topic(),
                    error);
        }

        private static Response deadLetter(final ErrorHandlerContext context, final String stage,
                                           final Exception error) {
            LOG.log(Level.SEVERE, stage + " failed for " + source(context) + "; dead-lettered", error);
            ProcessorMetrics.global().deadLetter();
            return Response.resume(List.of(of(context, stage, error)));
        }

        @Override
        public void configure(final Map<String, ?> configs) {
        }
    }
}
