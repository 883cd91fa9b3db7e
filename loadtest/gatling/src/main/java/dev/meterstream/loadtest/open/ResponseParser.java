package dev.meterstream.loadtest.open;

import java.nio.charset.StandardCharsets;

/**
 * Finds where an HTTP/1.1 response ends in the bytes read so far, and its status: enough of HTTP for a load
 * generator that only needs to know each answer's status and when the connection is free again. Bodies with a
 * Content-Length or chunked; a response with neither (other than 1xx/204/304) ends when the server closes.
 */
final class ResponseParser {
    /** A complete response: its status, its length in bytes, and whether the server closes the connection after. */
    record Response(int status, int length, boolean close) {
    }

    private ResponseParser() {
    }

    /**
     * The response at the start of {@code bytes[0, length)}, or null if it is not all there yet.
     *
     * @param closed the server has closed the connection (a response without a length ends there)
     * @throws IllegalStateException if the bytes are not an HTTP/1.1 response
     */
    static Response parse(final byte[] bytes, final int length, final boolean closed) {
        final int headerEnd = indexOf(bytes, 0, length);
        if (headerEnd < 0) {
            return null;
        }
        if (headerEnd < 12 || bytes[0] != 'H' || bytes[4] != '/') {
            throw new IllegalStateException("not an HTTP response: "
                    + new String(bytes, 0, Math.min(length, 40), StandardCharsets.ISO_8859_1));
        }
        final int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        int line = lineEnd(bytes, 0, headerEnd) + 2;
        while (line < headerEnd) {
            final int end = lineEnd(bytes, line, headerEnd + 2);
            final int colon = indexOfByte(bytes, line, end, (byte) ':');
            if (colon > 0) {
                final String name = new String(bytes, line, colon - line, StandardCharsets.ISO_8859_1).trim();
                final String value = new String(bytes, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            line = end + 2;
        }
        final int bodyStart = headerEnd + 4;
        if (chunked) {
            final int end = chunkedEnd(bytes, bodyStart, length);
            return end < 0 ? null : new Response(status, end, close);
        }
        if (contentLength >= 0) {
            return bodyStart + contentLength <= length
                    ? new Response(status, (int) (bodyStart + contentLength), close) : null;
        }
        if (status < 200 || status == 204 || status == 304) {
            return new Response(status, bodyStart, close);
        }
        return closed ? new Response(status, length, true) : null;
    }

    /** The end of a chunked body that starts at {@code from}, or -1 if it is not all there. */
    private static int chunkedEnd(final byte[] bytes, final int from, final int length) {
        int at = from;
        while (true) {
            final int end = lineEnd(bytes, at, length);
            if (end < 0) {
                return -1;
            }
            int size = 0;
            for (int i = at; i < end && bytes[i] != ';'; i++) {
                size = size * 16 + Character.digit(bytes[i], 16);
            }
            at = end + 2;
            if (size == 0) {
                // No trailers are expected: the last chunk is followed by an empty line.
                return at + 2 <= length ? at + 2 : -1;
            }
            at += size + 2;
            if (at > length) {
                return -1;
            }
        }
    }

    private static int indexOf(final byte[] bytes, final int from, final int length) {
        for (int i = from; i + 3 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(final byte[] bytes, final int from, final int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfByte(final byte[] bytes, final int from, final int to, final byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
