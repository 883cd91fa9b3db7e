package dev.meterstream.meter;

import dev.meterstream.wire.WireBytes;

/**
 * The binary form of {@link MeterRecordKey}: four bytes of a hash of the rest, then a byte naming the kind, then
 * its fields ({@link WireBytes}).
 *
 * <p>The hash comes first because the processor's record cache keeps keys in a tree ordered by their bytes: JSON
 * keys that began with the kind, tenant and meter compared tens of bytes deep at every step (a tenth of the
 * processor's samples in session 15), while keys that begin with a hash differ within their first bytes. (The states
 * have since left the record cache, session 17; the hash stays.) The hash is FNV-1a, fixed here, because it is part
 * of every stored key: a different hash would make different keys.
 */
final class MeterKeyCodec {
    private static final int STATE = 1;
    private static final int DISTINCT = 2;
    private static final int BOUNDARY = 3;
    private static final int PROGRESS = 4;
    private static final int BACKFILLED = 5;
    private static final int END = 6;
    private static final int TYPE_STATES = 7;
    /** Where the kind byte is: after the hash. */
    private static final int KIND_AT = 4;

    private MeterKeyCodec() {
    }

    static byte[] write(final MeterRecordKey key) {
        final WireBytes.Writer out = new WireBytes.Writer(96).writeInt(0);
        switch (key) {
            case MeterRecordKey.State state -> {
                out.writeByte(STATE);
                state.window().writeTo(out);
                out.writeVarLong(state.shard()).writeByte(state.source() == MeterSource.LIVE ? 0 : 1);
            }
            case MeterRecordKey.TypeStates states -> {
                out.writeByte(TYPE_STATES);
                states.window().writeTo(out);
                out.writeVarLong(states.shard());
            }
            case MeterRecordKey.Distinct distinct -> {
                out.writeByte(DISTINCT);
                distinct.window().writeTo(out);
                out.writeString(distinct.value());
            }
            case MeterRecordKey.Boundary boundary -> writeShardOf(out, BOUNDARY, boundary.meter(), boundary.shard());
            case MeterRecordKey.End end -> writeShardOf(out, END, end.meter(), end.shard());
            case MeterRecordKey.Progress progress -> writeShardOf(out, PROGRESS, progress.meter(), progress.shard());
            case MeterRecordKey.Backfilled backfilled -> {
                out.writeByte(BACKFILLED);
                backfilled.meter().writeTo(out);
            }
        }
        final byte[] bytes = out.toBytes();
        final int hash = fnv1a(bytes);
        for (int i = 0; i < KIND_AT; i++) {
            bytes[i] = (byte) (hash >>> (24 - 8 * i));
        }
        return bytes;
    }

    /** The kinds that name one meter version on one shard. */
    private static void writeShardOf(final WireBytes.Writer out, final int kind, final MeterVersion meter,
                                     final int shard) {
        out.writeByte(kind);
        meter.writeTo(out);
        out.writeVarLong(shard);
    }

    static MeterRecordKey read(final byte[] bytes) {
        if (bytes == null || bytes.length <= KIND_AT) {
            throw new IllegalArgumentException("not a meter record key: too short");
        }
        if (fnv1a(bytes) != new WireBytes.Reader(bytes, 0).readInt()) {
            throw new IllegalArgumentException("not a meter record key: its hash does not match");
        }
        final WireBytes.Reader in = new WireBytes.Reader(bytes, KIND_AT + 1);
        final MeterRecordKey key = switch (bytes[KIND_AT]) {
            case STATE -> {
                final MeterWindowKey window = MeterWindowKey.readFrom(in);
                final int shard = in.readVarInt();
                yield new MeterRecordKey.State(window, shard, switch (in.readByte()) {
                    case 0 -> MeterSource.LIVE;
                    case 1 -> MeterSource.BACKFILL;
                    default -> throw new IllegalArgumentException("no source has that code");
                });
            }
            case TYPE_STATES -> new MeterRecordKey.TypeStates(MeterTypeWindow.readFrom(in), in.readVarInt());
            case DISTINCT -> new MeterRecordKey.Distinct(MeterWindowKey.readFrom(in), in.readString());
            case BOUNDARY -> new MeterRecordKey.Boundary(MeterVersion.readFrom(in), in.readVarInt());
            case END -> new MeterRecordKey.End(MeterVersion.readFrom(in), in.readVarInt());
            case PROGRESS -> new MeterRecordKey.Progress(MeterVersion.readFrom(in), in.readVarInt());
            case BACKFILLED -> new MeterRecordKey.Backfilled(MeterVersion.readFrom(in));
            default -> throw new IllegalArgumentException("not a meter record key: kind " + bytes[KIND_AT]);
        };
        in.end();
        return key;
    }

    /** FNV-1a (32 bits) of every byte after the hash's own four. */
    private static int fnv1a(final byte[] bytes) {
        int hash = 0x811C9DC5;
        for (int i = KIND_AT; i < bytes.length; i++) {
            hash ^= bytes[i] & 0xFF;
            hash *= 0x01000193;
        }
        return hash;
    }
}
