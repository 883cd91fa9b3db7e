package dev.meterstream.meter;

import dev.meterstream.wire.WireBytes;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
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
     * One meter version's group. Made once per group and reused for every event in it (the processor keeps them:
     * {@link Entries}), so its hash and binary head are worked out once, and the maps it keys compare it by
     * identity first: per event and meter it is looked up in four windows' states.
     */
    public static final class Entry {
        private final String slug;
        private final int version;
        private final Map<String, String> groups;
        private final int hash;
        /** Slug, version and group, as {@link MeterTypeStates#bytes()} writes them; made when first written. */
        private byte[] head;

        /**
         * @param slug    the meter
         * @param version its version
         * @param groups  dimension name to value (null: the event had none), in the definition's order
         */
        public Entry(final String slug, final int version, final Map<String, String> groups) {
            this(slug, version, groups, true);
        }

        /** {@code copy} false: {@code groups} kept as they are (a probe, or a map no one else holds). */
        private Entry(final String slug, final int version, final Map<String, String> groups, final boolean copy) {
            this.slug = Objects.requireNonNull(slug, "slug");
            this.version = version;
            this.groups = copy ? Collections.unmodifiableMap(new LinkedHashMap<>(groups)) : groups;
            this.hash = (slug.hashCode() * 31 + version) * 31 + groups.hashCode();
        }

        public String slug() {
            return slug;
        }

        public int version() {
            return version;
        }

        public Map<String, String> groups() {
            return groups;
        }

        /** Whether this is a group of {@code meter}'s version (of the same tenant: the key says whose). */
        public boolean of(final MeterVersion meter) {
            return slug.equals(meter.slug()) && version == meter.version();
        }

        private byte[] head() {
            if (head == null) {
                final WireBytes.Writer out = new WireBytes.Writer(32).writeString(slug).writeVarLong(version);
                MeterWindowKey.writeGroups(out, groups);
                head = out.toBytes();
            }
            return head;
        }

        @Override
        public boolean equals(final Object other) {
            return this == other || other instanceof Entry entry && hash == entry.hash && version == entry.version
                    && slug.equals(entry.slug) && groups.equals(entry.groups);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Entry[slug=" + slug + ", version=" + version + ", groups=" + groups + "]";
        }
    }

    /**
     * One task's entries, each made once and handed out for every event of its group (a map from an entry to
     * itself, bounded: past {@link #MOST} groups it starts again, which costs only the sharing).
     */
    public static final class Entries {
        static final int MOST = 100_000;
        private final Map<Entry, Entry> made = new HashMap<>();

        /** The entry of {@code slug}'s {@code version} for {@code groups} (not kept: copied when first seen). */
        public Entry of(final String slug, final int version, final Map<String, String> groups) {
            final Entry known = made.get(new Entry(slug, version, groups, false));
            if (known != null) {
                return known;
            }
            if (made.size() >= MOST) {
                made.clear();
            }
            final Entry entry = new Entry(slug, version, groups);
            made.put(entry, entry);
            return entry;
        }
    }

    /**
     * One entry as held: its state, and the state's binary form kept between writes (the entry keeps the rest). At
     * each commit every entry of a changed window is written again, and most of them did not change (a day of all
     * subjects holds every group of every meter of the type; an event changes one per meter): those are copied, not
     * serialised.
     */
    private static final class Held {
        MeterState state;
        /** The state as {@link MeterStateBytes} writes it; null once changed, until written. */
        byte[] stateBytes;
    }

    private final Map<Entry, Held> states = new LinkedHashMap<>();

    /** This entry's state with {@code input} folded in, as {@code aggregation} folds. */
    public void fold(final Entry entry, final Aggregation aggregation, final MeterInput input) {
        Held held = states.get(entry);
        if (held == null) {
            held = new Held();
            held.state = MeterState.empty();
            states.put(entry, held);
        }
        held.state = held.state.add(aggregation, input);
        held.stateBytes = null;
    }

    /** Every entry's state, in the order first folded. */
    public Map<Entry, MeterState> states() {
        final Map<Entry, MeterState> all = new LinkedHashMap<>();
        states.forEach((entry, held) -> all.put(entry, held.state));
        return all;
    }

    /** Each entry as the per-meter state it stands for: {@code key}'s window and shard, counted live. */
    public Map<MeterRecordKey.State, MeterState> byMeter(final MeterRecordKey.TypeStates key) {
        final Map<MeterRecordKey.State, MeterState> byMeter = new LinkedHashMap<>();
        states.forEach((entry, held) -> byMeter.put(
                new MeterRecordKey.State(key.window().of(entry), key.shard(), MeterSource.LIVE), held.state));
        return byMeter;
    }

    public byte[] bytes() {
        final WireBytes.Writer out = new WireBytes.Writer(64 * states.size() + 8).writeByte(FORMAT)
                .writeVarLong(states.size());
        states.forEach((entry, held) -> {
            if (held.stateBytes == null) {
                held.stateBytes = MeterStateBytes.write(held.state);
            }
            out.writeRaw(entry.head()).writeBytes(held.stateBytes);
        });
        return out.toBytes();
    }

    /** States as a view's blob holds them (the buffer is not moved). */
    public static MeterTypeStates read(final ByteBuffer blob) {
        final byte[] bytes = new byte[blob.remaining()];
        blob.duplicate().get(bytes);
        return read(bytes);
    }

    /** States as {@link #bytes()} wrote them; {@link IllegalArgumentException} for anything else. */
    public static MeterTypeStates read(final byte[] bytes) {
        try {
            final WireBytes.Reader in = new WireBytes.Reader(bytes, 0);
            final int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown format " + format);
            }
            final MeterTypeStates read = new MeterTypeStates();
            final int entries = in.readVarInt();
            for (int i = 0; i < entries; i++) {
                final int start = in.position();
                final String slug = in.readString();
                final int version = in.readVarInt();
                final Map<String, String> groups = MeterWindowKey.readGroups(in);
                // The group was just read into a map of its own: wrapped, not copied again.
                final Entry entry = new Entry(slug, version, Collections.unmodifiableMap(groups), false);
                entry.head = in.readSince(start);
                final Held held = new Held();
                held.stateBytes = in.readBytes();
                held.state = MeterStateBytes.read(held.stateBytes);
                read.states.put(entry, held);
            }
            in.end();
            return read;
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("not a type's meter states (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }
}
