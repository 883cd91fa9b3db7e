package dev.meterstream.support.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestDecodingTest {
    private static byte[] gzip(final byte[] plain) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldInflateABodyWithinTheLimitWhole() throws IOException {
        final byte[] plain = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        final InputStream body = new RequestDecoding.BoundedGzip(new ByteArrayInputStream(gzip(plain)), 1000);
        assertArrayEquals(plain, body.readAllBytes());
    }

    @Test
    void shouldInflateNoMoreThanTheLimitAndThenDrainTheRestUninflated() throws IOException {
        final byte[] compressed = gzip(new byte[64 * 1024 * 1024]);
        final ByteArrayInputStream network = new ByteArrayInputStream(compressed);
        final InputStream body = new RequestDecoding.BoundedGzip(network, 1001);
        assertEquals(1001, body.readNBytes(1001).length);
        assertEquals(-1, body.read(), "past the limit the body ends, as far as its reader can tell");
        assertEquals(0, network.available(), "and the rest was read from the network, not left for the server");
    }

    @Test
    void shouldSayABodyIsNotGzipAndThenDrainIt() throws IOException {
        final ByteArrayInputStream network = new ByteArrayInputStream("not gzip at all".getBytes(
                StandardCharsets.UTF_8));
        final InputStream body = new RequestDecoding.BoundedGzip(network, 1000);
        final IOException refused = assertThrows(IOException.class, body::readAllBytes);
        assertTrue(refused.getMessage().startsWith("the body is not valid gzip"), refused.getMessage());
        assertEquals(-1, body.read());
        assertEquals(0, network.available());
    }

    @Test
    void shouldDecodeGzipAndIdentityOnly() {
        assertTrue(RequestDecoding.decodes("gzip"));
        assertTrue(RequestDecoding.decodes(" GZIP "));
        assertTrue(RequestDecoding.decodes("x-gzip"));
        assertTrue(RequestDecoding.decodes("identity"));
        assertFalse(RequestDecoding.decodes("br"));
        assertFalse(RequestDecoding.decodes("deflate"));
        assertFalse(RequestDecoding.decodes("gzip, br"));
    }
}
