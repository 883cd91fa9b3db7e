package dev.meterstream.meter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every live state of one event type's defined meters in one window and shard ({@link MeterRecordKey.TypeStates}):
 * for each meter version and group, its {@link MeterState}. One entry per window, not one per meter and group,
 * because at a commit a second the states of all subjects per shard hardly fold (a shard sees a type's events a
 * few at a time, each in a group of its own): each was one more store write, changelog record and Cassandra row.
 * Together they are one of each per window however many meters and groups the type has (docs/benchmarks.md,
 * "Session 19").
 *
 * <p>Held by one task's processor and changed in place; its binary form ({@link #bytes()}) is the store entry's
 * value, the changelog record's and the view's blob: a format byte, the entry count, then per entry the slug,
 * version, group and the state as {@link MeterStateBytes} writes it.
 */
public final class MeterTypeStates {
    private static final int FORMAT = 1;

    /**
     * One meter version's group.
     *
     * @param slug    the meter
     * @param version its version
     * @param groups  dimension name to value (null: the event had none), in the definition's order
     */
    public record Entry(String slug, int version, Map<String, String> groups) {
        public Entry {
            Objects.requireNonNull(slug, "slug");
            groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        }

        /** Whether this is a group of {@code meter}'s version (of the same tenant: the key says whose). */
        public boolean of(final MeterVersion meter) {
            return slug.equals(meter.slug()) && version == meter.version();
        }
    }

    private final Map<Entry, MeterState> states = new LinkedHashMap<>();

    /** This entry's state with {@code input} folded in, as {@code aggregation} folds. */
    public void fold(final Entry entry, final Aggregation aggregation, final MeterInput input) {
        final MeterState state = states.get(entry);
        states.put(entry, (state == null ? MeterState.empty() : state).add(aggregation, input));
    }

    /** Every entry's state, in the order first folded. */
    public Map<Entry, MeterState> states() {
        return Collections.unmodifiableMap(states);
    }

    /** Each entry as the per-meter state it stands for: {@code key}'s window and shard, counted live. */
    public Map<MeterRecordKey.State, MeterState> byMeter(final MeterRecordKey.TypeStates key) {
        final Map<MeterRecordKey.State, MeterState> byMeter = new LinkedHashMap<>();
        states.forEach((entry, state) -> byMeter.put(
                new MeterRecordKey.State(key.window().of(entry), key.shard(), MeterSource.LIVE), state));
        return byMeter;
    }

    public byte[] bytes() {
        final MeterBytes.Writer out = new MeterBytes.Writer(64 * states.size() + 8).writeByte(FORMAT)
                .writeVarLong(states.size());
        states.forEach((entry, state) -> {
            out.writeString(entry.slug()).writeVarLong(entry.version()).writeVarLong(entry.groups().size());
            entry.groups().forEach((name, value) -> out.writeString(name).writeNullableString(value));
            out.writeBytes(MeterStateBytes.write(state));
        });
        return out.toBytes();
    }

    /** States as {@link #bytes()} wrote them; {@link IllegalArgumentException} for anything else. */
    public static MeterTypeStates read(final byte[] bytes) {
        try {
            final MeterBytes.Reader in = new MeterBytes.Reader(bytes, 0);
            final int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown format " + format);
            }
            final MeterTypeStates read = new MeterTypeStates();
            final int entries = in.readVarInt();
            for (int i = 0; i < entries; i++) {
                final String slug = in.readString();
                final int version = in.readVarInt();
                final int dimensions = in.readVarInt();
                final Map<String, String> groups = new LinkedHashMap<>();
                for (int d = 0; d < dimensions; d++) {
                    groups.put(in.readString(), in.readNullableString());
                }
                read.states.put(new Entry(slug, version, groups), MeterStateBytes.read(in.readBytes()));
            }
            in.end();
            return read;
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("not a type's meter states (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }
}
