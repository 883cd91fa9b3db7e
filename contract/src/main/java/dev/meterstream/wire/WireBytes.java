package dev.meterstream.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary forms of the processor's topics and states (meter keys and states, window aggregates): big-endian
 * fixed-width numbers, unsigned varints for lengths and small counts, strings as a varint length and UTF-8.
 * Written per state update and read per record by the sink, so it stays free of any text parsing (JSON cost the
 * processor a third of its time in session 15).
 */
public final class WireBytes {
    private WireBytes() {
    }

    /** A growable buffer written front to back. */
    public static final class Writer {
        private byte[] bytes;
        private int size;

        public Writer(final int capacity) {
            bytes = new byte[capacity];
        }

        public Writer writeByte(final int value) {
            ensure(1);
            bytes[size++] = (byte) value;
            return this;
        }

        public Writer writeInt(final int value) {
            return writeBigEndian(value, 4);
        }

        public Writer writeLong(final long value) {
            return writeBigEndian(value, 8);
        }

        /** The low {@code width} bytes of {@code value}, most significant first. */
        private Writer writeBigEndian(final long value, final int width) {
            ensure(width);
            for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
            return this;
        }

        /** A number of zero or more, seven bits per byte, low bits first. */
        public Writer writeVarLong(final long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a varint is zero or more, was " + value);
            }
            long rest = value;
            ensure(10);
            while ((rest & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            bytes[size++] = (byte) rest;
            return this;
        }

        public Writer writeBytes(final byte[] value) {
            writeVarLong(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
            return this;
        }

        /** Bytes as they are, with no length: a part another writer wrote whole. */
        public Writer writeRaw(final byte[] value) {
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
            return this;
        }

        public Writer writeString(final String value) {
            return writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        /** An exact decimal: its scale, then its unscaled value's two's-complement bytes (never a double). */
        public Writer writeDecimal(final BigDecimal value) {
            return writeInt(value.scale()).writeBytes(value.unscaledValue().toByteArray());
        }

        /** A string or null: a presence byte first. */
        public Writer writeNullableString(final String value) {
            return value == null ? writeByte(0) : writeByte(1).writeString(value);
        }

        public byte[] toBytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }

        private void ensure(final int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /** Reads what a {@link Writer} wrote, failing with {@link IllegalArgumentException} on short or bad input. */
    public static final class Reader {
        private final byte[] bytes;
        private int position;

        public Reader(final byte[] bytes, final int position) {
            this.bytes = bytes;
            this.position = position;
        }

        public int readByte() {
            need(1);
            return bytes[position++] & 0xFF;
        }

        public int readInt() {
            return (int) readBigEndian(4);
        }

        public long readLong() {
            return readBigEndian(8);
        }

        /** {@code width} bytes, most significant first, as a {@link Writer} writes them. */
        private long readBigEndian(final int width) {
            need(width);
            long value = 0;
            for (int i = 0; i < width; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        public long readVarLong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                final int next = readByte();
                value |= (long) (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a varint longer than ten bytes");
        }

        public int readVarInt() {
            final long value = readVarLong();
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a count too large: " + value);
            }
            return (int) value;
        }

        /** Where the next byte is read. */
        public int position() {
            return position;
        }

        /** The bytes read from {@code from} to here. */
        public byte[] readSince(final int from) {
            return Arrays.copyOfRange(bytes, from, position);
        }

        public byte[] readBytes() {
            final int length = readVarInt();
            need(length);
            final byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        public String readString() {
            final int length = readVarInt();
            need(length);
            final String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        public BigDecimal readDecimal() {
            final int scale = readInt();
            return new BigDecimal(new BigInteger(readBytes()), scale);
        }

        public String readNullableString() {
            return switch (readByte()) {
                case 0 -> null;
                case 1 -> readString();
                default -> throw new IllegalArgumentException("a presence byte is 0 or 1");
            };
        }

        /** Fails unless every byte was read. */
        public void end() {
            if (position != bytes.length) {
                throw new IllegalArgumentException((bytes.length - position) + " bytes left over");
            }
        }

        private void need(final int count) {
            if (count < 0 || position + count > bytes.length) {
                throw new IllegalArgumentException("ends after " + bytes.length + " bytes, " + count + " more needed at "
                        + position);
            }
        }
    }
}
