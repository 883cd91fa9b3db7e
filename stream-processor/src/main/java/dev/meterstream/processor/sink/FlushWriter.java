package dev.meterstream.processor.sink;

import java.util.logging.Logger;

/**
 * Writes one flush into the views so that a record Cassandra refuses for good cannot stop them: if the flush's
 * writes are refused for a reason that will not pass, each record is written on its own, and those refused for
 * good are dead-lettered; a failure that may pass leaves the flush to be tried again whole.
 */
final class FlushWriter {
    private static final Logger LOG = Logger.getLogger(FlushWriter.class.getName());

    private final ViewWriter writer;
    private final SinkDeadLetters deadLetters;

    FlushWriter(final ViewWriter writer, final SinkDeadLetters deadLetters) {
        this.writer = writer;
        this.deadLetters = deadLetters;
    }

    /** See {@link ViewWriter#forget}. */
    void forget() {
        writer.forget();
    }

    /**
     * Writes the buffer; returns null once every record is written or dead-lettered (acknowledged by Kafka), or
     * the failure that may pass, in which case the buffer should be written again later.
     */
    RuntimeException write(final SinkBuffer buffer) {
        try {
            writer.write(buffer);
        } catch (final RuntimeException e) {
            if (WriteFailures.mayPass(e)) {
                return e;
            }
            LOG.warning("Cassandra refused a write for good (" + WriteFailures.rootMessage(e) + "); writing the "
                    + buffer.records() + " records of the flush one by one to find which");
            for (final SinkBuffer single : buffer.singles()) {
                try {
                    writer.write(single);
                } catch (final RuntimeException refused) {
                    if (WriteFailures.mayPass(refused)) {
                        return refused;
                    }
                    final var source = single.onlySource();
                    LOG.warning("dead-lettering " + source.topic() + "-" + source.partition() + "@"
                            + source.offset() + ": " + WriteFailures.rootMessage(refused));
                    deadLetters.send(source, "Cassandra refused it: " + WriteFailures.rootMessage(refused));
                }
            }
        }
        deadLetters.awaitAcknowledged();
        return null;
    }
}
