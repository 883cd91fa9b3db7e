package dev.meterstream.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.Topics;
import java.io.IOException;
import java.util.Objects;

/**
 * The key of a record the processor writes for defined meters ({@link Topics#METER_AGGREGATES},
 * {@link Topics#METER_BOUNDARIES}) and of its store entries: a compact JSON array whose first element names the
 * kind. Each kind says which rows its value replaces, so a compacted topic keeps the newest of each and a replay
 * rewrites the same rows.
 */
public sealed interface MeterRecordKey {
    /** The key as text: {@code ["kind", ...]}. */
    String text();

    /**
     * The state of one window and group, folded from one shard's events (a raw partition), live or backfilled. The
     * shards and the two sources hold disjoint events, so a reader merges them ({@link MeterState#merge}).
     */
    record State(MeterWindowKey window, int shard, MeterSource source) implements MeterRecordKey {
        public State {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String text() {
            final ArrayNode array = array("state");
            window.addTo(array);
            return array.add(shard).add(source.name()).toString();
        }
    }

    /**
     * One distinct value of a UNIQUE_COUNT meter in one window and group. Values are written once, whoever meets
     * them first (any shard, live or backfill): a value present is present, so a window's count is its rows.
     */
    record Distinct(MeterWindowKey window, String value) implements MeterRecordKey {
        public Distinct {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            final ArrayNode array = array("distinct");
            window.addTo(array);
            return array.add(value).toString();
        }
    }

    /** Where live counting of one meter version began on one shard (value: {@link MeterBoundary}). */
    record Boundary(MeterVersion meter, int shard) implements MeterRecordKey {
        public Boundary {
            Objects.requireNonNull(meter, "meter");
        }

        @Override
        public String text() {
            return meter.addTo(array("boundary")).add(shard).toString();
        }
    }

    /** How far the backfill of one meter version has folded one shard (value: {@link MeterProgress}). */
    record Progress(MeterVersion meter, int shard) implements MeterRecordKey {
        public Progress {
            Objects.requireNonNull(meter, "meter");
        }

        @Override
        public String text() {
            return meter.addTo(array("progress")).add(shard).toString();
        }
    }

    /**
     * That the backfill of one meter version finished and was committed (written by the processor's backfill
     * coordinator beside the boundaries, value {@code {}}): a restarted processor does not run it again.
     */
    record Backfilled(MeterVersion meter) implements MeterRecordKey {
        public Backfilled {
            Objects.requireNonNull(meter, "meter");
        }

        @Override
        public String text() {
            return meter.addTo(array("backfilled")).toString();
        }
    }

    /** Whether {@code text} is a {@link Boundary}'s key, without reading it all (it routes every record). */
    static boolean isBoundary(final String text) {
        return text.startsWith("[\"boundary\",");
    }

    static MeterRecordKey parse(final String text) {
        try {
            final JsonNode array = EventParser.READER.readTree(text);
            if (array == null || !array.isArray() || array.isEmpty()) {
                throw new IllegalArgumentException("a meter record key is a JSON array, was " + text);
            }
            final String kind = array.get(0).asText();
            final int size = array.size();
            return switch (kind) {
                case "state" -> {
                    expect(array, 10);
                    yield new State(MeterWindowKey.readFrom(array, 1), array.get(8).intValue(),
                            MeterSource.valueOf(array.get(9).textValue()));
                }
                case "distinct" -> {
                    expect(array, 9);
                    yield new Distinct(MeterWindowKey.readFrom(array, 1), array.get(8).textValue());
                }
                case "boundary" -> {
                    expect(array, 5);
                    yield new Boundary(MeterVersion.readFrom(array, 1), array.get(4).intValue());
                }
                case "progress" -> {
                    expect(array, 5);
                    yield new Progress(MeterVersion.readFrom(array, 1), array.get(4).intValue());
                }
                case "backfilled" -> {
                    expect(array, 4);
                    yield new Backfilled(MeterVersion.readFrom(array, 1));
                }
                default -> throw new IllegalArgumentException("unknown kind " + kind + " of " + size);
            };
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a meter record key: " + text, e);
        }
    }

    private static ArrayNode array(final String kind) {
        return JsonNodeFactory.instance.arrayNode().add(kind);
    }

    private static void expect(final JsonNode array, final int size) {
        if (array.size() != size) {
            throw new IllegalArgumentException("a " + array.get(0).asText() + " key has " + size + " elements, had "
                    + array.size());
        }
    }
}
