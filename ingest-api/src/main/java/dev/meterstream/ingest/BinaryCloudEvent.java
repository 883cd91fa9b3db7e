package dev.meterstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterstream.event.Violation;
import dev.meterstream.support.http.Problem;
import dev.meterstream.support.http.ProblemException;
import io.helidon.http.Header;
import io.helidon.http.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CloudEvent in binary content mode (CloudEvents HTTP binding 1.0, 3.1.1): its attributes are {@code ce-*}
 * headers, percent-encoded (3.1.3.2), and the body is its {@code data}. It is read into the structured form, so that
 * the same rules give the same answers, and the answers name what the client wrote: {@code ce-subject}, not
 * {@code subject}; {@code Content-Type}, not {@code datacontenttype}.
 */
final class BinaryCloudEvent {
    private static final String PREFIX = "ce-";

    private BinaryCloudEvent() {
    }

    /** Whether the request carries any {@code ce-} header: then it is a binary-mode CloudEvent, or refused as one. */
    static boolean isBinary(final Headers headers) {
        for (final Header header : headers) {
            if (header.name().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The event in structured form: one attribute per {@code ce-} header, {@code datacontenttype} from
     * {@code contentType} (if any) and {@code data} (if any). A header given twice, or not percent-encoded UTF-8,
     * refuses the request.
     */
    static ObjectNode structured(final Headers headers, final String contentType, final JsonNode data) {
        final ObjectNode event = JsonNodeFactory.instance.objectNode();
        final List<Violation> violations = new ArrayList<>();
        for (final Header header : headers) {
            if (!header.name().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                continue;
            }
            final String name = header.name().toLowerCase(Locale.ROOT);
            final String attribute = name.substring(PREFIX.length());
            if (header.valueCount() != 1 || event.has(attribute)) {
                violations.add(new Violation(name, "must be given once"));
                continue;
            }
            final String value = percentDecoded(header.get());
            if (value == null) {
                violations.add(new Violation(name, "must be percent-encoded UTF-8 (CloudEvents HTTP binding, "
                        + "3.1.3.2)"));
            } else {
                event.put(attribute, value);
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.of(400, "invalid-event", "Invalid event",
                    "the ce- headers break the rules listed in errors").withErrors(violations));
        }
        if (contentType != null) {
            event.put("datacontenttype", contentType);
        }
        if (data != null) {
            event.set("data", data);
        }
        return event;
    }

    /** Where the client wrote a field of the structured form. */
    static String clientName(final String field) {
        final String attribute = field.split("[.\\[]", 2)[0];
        if (field.isEmpty() || attribute.equals("data")) {
            return field;
        }
        if (attribute.equals("datacontenttype")) {
            return "Content-Type";
        }
        return PREFIX + field;
    }

    /** {@code %XX} sequences decoded as UTF-8; null if a sequence is cut short or the bytes are not UTF-8. */
    static String percentDecoded(final String value) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c != '%') {
                if (c > 0x7F) {
                    return null; // not ASCII: the binding asks for such characters percent-encoded
                }
                bytes.write(c);
                continue;
            }
            if (i + 2 >= value.length()) {
                return null;
            }
            final int high = Character.digit(value.charAt(i + 1), 16);
            final int low = Character.digit(value.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (final CharacterCodingException e) {
            return null;
        }
    }
}
