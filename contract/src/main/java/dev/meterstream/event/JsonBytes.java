package dev.meterstream.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one JSON document to bytes with Jackson's streaming generator: the one helper behind every JSON body and
 * wire record the system writes (events and aggregates on Kafka, problems and answers over HTTP). Streaming, not
 * data binding, because these are written for every event and every request.
 */
public final class JsonBytes {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonBytes() {
    }

    /** What writes the document; an I/O error cannot happen on a byte array and is rethrown unchecked. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /** The document {@code writer} writes, in UTF-8; {@code sizeHint} is the expected size in bytes. */
    public static byte[] write(final int sizeHint, final Writer writer) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writer.write(json);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
