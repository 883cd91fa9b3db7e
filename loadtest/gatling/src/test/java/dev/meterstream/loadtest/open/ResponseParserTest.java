package dev.meterstream.loadtest.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private static ResponseParser.Response parse(final String text, final boolean closed) {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ResponseParser.parse(bytes, bytes.length, closed);
    }

    @Test
    void shouldEndAResponseAfterItsContentLengthAndLeaveTheNextOne() {
        final String first = "HTTP/1.1 202 Accepted\r\ncontent-length: 5\r\n\r\nhello";
        final ResponseParser.Response response = parse(first + "HTTP/1.1 200", false);
        assertEquals(202, response.status());
        assertEquals(first.length(), response.length());
        assertNull(parse(first.substring(0, first.length() - 1), false), "one body byte short");
    }

    @Test
    void shouldFollowChunksToTheLastOne() {
        final String chunked = "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n";
        assertEquals(chunked.length(), parse(chunked, false).length());
        assertEquals(400, parse(chunked, false).status());
        assertNull(parse(chunked.substring(0, chunked.length() - 2), false));
    }

    @Test
    void shouldSeeConnectionCloseAndEndABodyWithoutLengthAtClose() {
        assertTrue(parse("HTTP/1.1 503 x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false).close());
        assertNull(parse("HTTP/1.1 200 OK\r\n\r\nbody", false));
        assertEquals(23, parse("HTTP/1.1 200 OK\r\n\r\nbody", true).length());
        assertEquals(27, parse("HTTP/1.1 204 No Content\r\n\r\n", false).length(), "a 204 has no body");
    }

    @Test
    void shouldRefuseWhatIsNotHttp() {
        assertThrows(IllegalStateException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n", false));
    }
}
