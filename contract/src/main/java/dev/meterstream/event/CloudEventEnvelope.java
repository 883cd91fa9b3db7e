package dev.meterstream.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The CloudEvents 1.0 rules that are the envelope's, not the usage event's: {@code specversion} is 1.0, {@code
 * source} is given, and {@code data} is what is counted. Before these rules a {@code "specversion":"0.3"} event was
 * taken, and one with its data in {@code data_base64} counted a quantity of 1 while its data was ignored.
 */
public final class CloudEventEnvelope {
    /** The only version of CloudEvents this reads. */
    static final String SPEC_VERSION = "1.0";

    private CloudEventEnvelope() {
    }

    /**
     * The event with its data in {@code data}: the event itself, or a copy with {@code data_base64} decoded into
     * {@code data} when the data is JSON. Each broken rule is added to {@code violations}.
     */
    static JsonNode open(final JsonNode event, final List<Violation> violations) {
        final JsonNode version = event.get("specversion");
        if (absent(version)) {
            violations.add(new Violation("specversion", "is required (\"" + SPEC_VERSION + "\")"));
        } else if (!version.isTextual() || !version.textValue().equals(SPEC_VERSION)) {
            violations.add(new Violation("specversion", "must be \"" + SPEC_VERSION + "\", the only CloudEvents "
                    + "version this API reads"));
        }
        final JsonNode source = event.get("source");
        if (absent(source)) {
            violations.add(new Violation("source", "is required (a URI-reference naming what produced the event)"));
        } else if (!source.isTextual() || source.textValue().isEmpty()) {
            violations.add(new Violation("source", "must be a non-empty string"));
        }
        final JsonNode contentType = event.get("datacontenttype");
        final boolean json = absent(contentType) || contentType.isTextual() && isJson(contentType.textValue());
        if (!json) {
            violations.add(new Violation("datacontenttype", "must be application/json or a +json type: the data "
                    + "is read as JSON for its quantity and properties"));
        }
        final JsonNode data = event.get("data");
        final JsonNode base64 = event.get("data_base64");
        if (!absent(data) && !data.isObject()) {
            violations.add(new Violation("data", "must be an object (quantity, properties)"));
        }
        if (absent(base64)) {
            return event;
        }
        if (!absent(data)) {
            violations.add(new Violation("data_base64", "must not be sent with data: an event has one or the other"));
            return event;
        }
        if (!json) {
            return event;
        }
        final JsonNode decoded = decode(base64, violations);
        if (decoded == null) {
            return event;
        }
        final ObjectNode opened = ((ObjectNode) event).deepCopy();
        opened.remove("data_base64");
        opened.set("data", decoded);
        return opened;
    }

    /** {@code application/json}, or any type with a {@code +json} suffix, with or without parameters. */
    public static boolean isJson(final String mediaType) {
        final String type = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") && type.contains("/");
    }

    private static JsonNode decode(final JsonNode base64, final List<Violation> violations) {
        final String why = "must be base64 (RFC 4648) of a JSON object (quantity, properties)";
        if (!base64.isTextual()) {
            violations.add(new Violation("data_base64", why));
            return null;
        }
        try {
            final JsonNode data = EventParser.readTree(Base64.getDecoder().decode(base64.textValue()));
            if (data.isObject()) {
                return data;
            }
        } catch (final IllegalArgumentException | IOException e) {
            // named below, as any other data that is not a JSON object
        }
        violations.add(new Violation("data_base64", why));
        return null;
    }

    private static boolean absent(final JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }
}
