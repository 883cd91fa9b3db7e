package dev.meterstream.processor.topology;

import dev.meterstream.event.EventRules;
import dev.meterstream.event.Text;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.UsageEventJson;
import dev.meterstream.event.Violation;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reads raw records as events. What cannot be read, whose key is not its event's, or that breaks any of the event
 * rules the edge applies ({@link EventRules#check}) goes on, marked with the reason, toward the dead-letter topic.
 * The edge refuses all of these, so only records that something other than ingest-api wrote end up there; checking
 * them here keeps such a record from reaching a place that cannot take it (a window before 1970, a Cassandra text
 * column).
 */
final class DecodeProcessor implements FixedKeyProcessor<String, byte[], Decoded> {
    private final ProcessorMetrics metrics;
    private final EventRules rules;
    private FixedKeyProcessorContext<String, Decoded> context;

    DecodeProcessor(final ProcessorMetrics metrics, final EventRules rules) {
        this.metrics = metrics;
        this.rules = rules;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, byte[]> record) {
        metrics.recordIn();
        context.forward(record.withValue(decode(record.key(), record.value(), rules)));
    }

    /** The event of a raw record, or why it is a dead letter. */
    static Decoded decode(final String key, final byte[] value, final EventRules rules) {
        final UsageEvent event;
        try {
            event = UsageEventBytes.read(value);
        } catch (final UsageEventJson.MalformedEventException e) {
            return Decoded.failed(value, e.getMessage());
        }
        final List<Violation> violations = rules.check(event);
        if (!violations.isEmpty()) {
            return Decoded.failed(value, "the event breaks the edge's rules: " + violations.stream()
                    .map(violation -> violation.field() + " " + violation.detail())
                    .collect(Collectors.joining("; ")));
        }
        if (key == null || !key.equals(event.key())) {
            return Decoded.failed(value, "record key '" + (key == null ? null : Text.printable(key))
                    + "' is not the event's key '" + event.key() + "'");
        }
        return Decoded.of(event);
    }
}
