package dev.meterstream.support.http;

import io.helidon.http.Headers;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} are decompressed as they are read, and no more than
 * {@code maxDecodedBytes + 1} bytes are ever inflated from one body: a reader that finds the body over its limit
 * refuses it, and the rest is then drained as it came, compressed, so that a small body that inflates to gigabytes
 * costs no more than its own size. Other encodings are refused before routing ({@link FrameworkProblems} answers
 * 415). Answers are never compressed: they are small, and compressing them would cost CPU on every request.
 */
public final class RequestDecoding implements ContentEncodingContext {
    /** The codings a request body may have, as an {@code Accept-Encoding} value. */
    public static final String ACCEPTED = "gzip, identity";

    private final long maxDecodedBytes;

    private RequestDecoding(final long maxDecodedBytes) {
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /** Makes {@code builder}'s server decode gzip request bodies, inflating at most {@code maxDecodedBytes + 1}. */
    public static void install(final WebServerConfig.Builder builder, final long maxDecodedBytes) {
        builder.contentEncoding(new RequestDecoding(maxDecodedBytes));
    }

    /** Whether a request body with this {@code Content-Encoding} can be read. */
    static boolean decodes(final String encoding) {
        final String coding = encoding.trim().toLowerCase(Locale.ROOT);
        return coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("identity");
    }

    /** What Helidon's own configuration would hold: no encodings, as this class replaces them. */
    @Override
    public ContentEncodingContextConfig prototype() {
        return ContentEncodingContextConfig.builder().contentEncodingsDiscoverServices(false).buildPrototype();
    }

    @Override
    public boolean contentEncodingEnabled() {
        return false;
    }

    @Override
    public boolean contentDecodingEnabled() {
        return true;
    }

    @Override
    public boolean contentEncodingSupported(final String encodingId) {
        return false;
    }

    @Override
    public boolean contentDecodingSupported(final String encodingId) {
        return decodes(encodingId);
    }

    @Override
    public ContentEncoder encoder(final String encodingId) {
        throw new NoSuchElementException("answers are not encoded");
    }

    @Override
    public ContentDecoder decoder(final String encodingId) {
        if (!decodes(encodingId)) {
            throw new NoSuchElementException("no decoder for Content-Encoding " + encodingId);
        }
        return encodingId.trim().equalsIgnoreCase("identity") ? ContentDecoder.NO_OP
                : network -> new BoundedGzip(network, maxDecodedBytes + 1);
    }

    @Override
    public ContentEncoder encoder(final Headers headers) {
        return ContentEncoder.NO_OP;
    }

    /**
     * Inflates at most {@code limit} bytes. Past that, or once the body proves not to be gzip, it reads the network
     * stream to its end without inflating and reports the end: the server's own draining of an unread body then
     * costs no inflation.
     */
    static final class BoundedGzip extends InputStream {
        private final InputStream network;
        private final long limit;
        private GZIPInputStream inflater;
        private long inflated;
        private boolean stopped;

        BoundedGzip(final InputStream network, final long limit) {
            this.network = network;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            final byte[] one = new byte[1];
            final int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (stopped || inflated >= limit) {
                stopped = true;
                network.transferTo(OutputStream.nullOutputStream());
                return -1;
            }
            try {
                if (inflater == null) {
                    inflater = new GZIPInputStream(network, 8192);
                }
                final int read = inflater.read(buffer, offset, (int) Math.min(length, limit - inflated));
                if (read > 0) {
                    inflated += read;
                }
                return read;
            } catch (final IOException e) {
                stopped = true;
                throw new IOException("the body is not valid gzip: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            network.close();
        }
    }
}
