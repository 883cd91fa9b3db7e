package dev.meterstream.support.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.meterstream.event.JsonBytes;
import dev.meterstream.event.Violation;
import java.io.IOException;
import java.util.List;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), the body of every error either HTTP service
 * returns. {@code type} is a relative URI naming the kind of problem; {@code errors} lists field violations.
 *
 * <p>An answer names at most {@value #MAX_ERRORS} violations, and at most {@value #MAX_ERRORS_PER_ITEM} of one event
 * or definition; {@code errorsOmitted} counts the rest. Without the caps a 1 MB batch of events with many unknown
 * fields each drew an answer about 20 times its size.
 *
 * @param errorsOmitted violations found and not listed
 */
public record Problem(int status, String type, String title, String detail, List<Violation> errors,
                      int errorsOmitted) {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Most violations one answer lists. */
    public static final int MAX_ERRORS = 100;
    /** Most violations listed for one item (an event of a batch, a definition). */
    public static final int MAX_ERRORS_PER_ITEM = 10;

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(final int status, final String kind, final String title, final String detail) {
        return new Problem(status, "/problems/" + kind, title, detail, List.of(), 0);
    }

    /** With {@code violations} listed, the first {@value #MAX_ERRORS} of them, and the rest counted. */
    public Problem withErrors(final List<Violation> violations) {
        return withErrors(violations, 0);
    }

    /** As above, with {@code omitted} more already left out (by {@link #firstOf}). */
    public Problem withErrors(final List<Violation> violations, final int omitted) {
        final List<Violation> listed = firstOf(violations, MAX_ERRORS);
        return new Problem(status, type, title, detail, listed, omitted + violations.size() - listed.size());
    }

    /** The first {@code max} violations; the caller counts the rest as omitted. */
    public static List<Violation> firstOf(final List<Violation> violations, final int max) {
        return violations.size() <= max ? violations : violations.subList(0, max);
    }

    public byte[] toJson() {
        return JsonBytes.write(256, json -> {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("title", title);
            json.writeNumberField("status", status);
            if (detail != null) {
                json.writeStringField("detail", detail);
            }
            if (!errors.isEmpty()) {
                writeErrors(json, errors);
            }
            if (errorsOmitted > 0) {
                json.writeNumberField("errorsOmitted", errorsOmitted);
            }
            json.writeEndObject();
        });
    }

    /**
     * {@code "errors": [{"field": ..., "detail": ...}, ...]}, as in a problem; in a batch's per-item results (all
     * of them, capped to {@value #MAX_ERRORS_PER_ITEM} here), followed by {@code "errorsOmitted"} if some were left
     * out.
     */
    public static void writeItemErrors(final JsonGenerator json, final List<Violation> violations)
            throws IOException {
        final List<Violation> listed = firstOf(violations, MAX_ERRORS_PER_ITEM);
        writeErrors(json, listed);
        if (listed.size() < violations.size()) {
            json.writeNumberField("errorsOmitted", violations.size() - listed.size());
        }
    }

    private static void writeErrors(final JsonGenerator json, final List<Violation> violations) throws IOException {
        json.writeArrayFieldStart("errors");
        for (final Violation violation : violations) {
            json.writeStartObject();
            json.writeStringField("field", violation.field());
            json.writeStringField("detail", violation.detail());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
