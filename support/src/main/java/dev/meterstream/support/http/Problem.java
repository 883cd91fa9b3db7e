package dev.meterstream.support.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.meterstream.event.JsonBytes;
import dev.meterstream.event.Violation;
import java.io.IOException;
import java.util.List;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), the body of every error either HTTP service
 * returns. {@code type} is a relative URI naming the kind of problem; {@code errors} lists field violations.
 */
public record Problem(int status, String type, String title, String detail, List<Violation> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(final int status, final String kind, final String title, final String detail) {
        return new Problem(status, "/problems/" + kind, title, detail, List.of());
    }

    public Problem withErrors(final List<Violation> violations) {
        return new Problem(status, type, title, detail, violations);
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
            json.writeEndObject();
        });
    }

    /** {@code "errors": [{"field": ..., "detail": ...}, ...]}, as in a problem and in a batch's per-item results. */
    public static void writeErrors(final JsonGenerator json, final List<Violation> violations) throws IOException {
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
