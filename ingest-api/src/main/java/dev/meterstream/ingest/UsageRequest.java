package dev.meterstream.ingest;

import dev.meterstream.support.http.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.CloudEventEnvelope;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.Violation;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import dev.meterstream.support.http.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The body of a {@code POST /api/usages}, read within its size limit and split into event objects according to its
 * content type: {@code application/json} (one object, or an array for a batch),
 * {@code application/cloudevents+json} (one CloudEvent) or {@code application/cloudevents-batch+json}; or, when
 * {@code ce-} headers come with any other type, one CloudEvent in binary mode ({@link BinaryCloudEvent}).
 *
 * @param events     the event objects in order
 * @param fields     where each event's fields are
 * @param batch      whether the client sent a batch (answered per item) rather than one event
 * @param fieldNames how the client wrote each field an answer names
 */
record UsageRequest(List<JsonNode> events, EventParser.Fields fields, boolean batch, UnaryOperator<String> fieldNames) {
    static final String JSON = "application/json";
    static final String CLOUDEVENT = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";


    static UsageRequest read(final Headers headers, final Long contentLength, final InputStream body,
                             final IngestSettings settings) {
        final String contentType = headers.first(HeaderNames.CONTENT_TYPE).orElse(null);
        final String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(CLOUDEVENT) && !mediaType.equals(CLOUDEVENTS_BATCH) && BinaryCloudEvent.isBinary(headers)) {
            return binary(headers, contentType, contentLength, body, settings);
        }
        if (!mediaType.equals(JSON) && !mediaType.equals(CLOUDEVENT) && !mediaType.equals(CLOUDEVENTS_BATCH)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    (contentType == null ? "no Content-Type" : "Content-Type '" + contentType + "'")
                            + "; send " + JSON + ", " + CLOUDEVENT + " or " + CLOUDEVENTS_BATCH));
        }
        final JsonNode root = parse(bytes(contentLength, body, settings.maxBodyBytes(), false));
        final boolean batch = root.isArray();
        if (mediaType.equals(CLOUDEVENTS_BATCH) && !batch) {
            throw invalid("a " + CLOUDEVENTS_BATCH + " body must be a JSON array of CloudEvents");
        }
        if (mediaType.equals(CLOUDEVENT) && !root.isObject()) {
            throw invalid("a " + CLOUDEVENT + " body must be one CloudEvent object; send arrays as "
                    + CLOUDEVENTS_BATCH);
        }
        if (!batch && !root.isObject()) {
            throw invalid("the body must be an event object or an array of event objects");
        }
        final EventParser.Fields fields = mediaType.equals(JSON) ? EventParser.Fields.NATIVE
                : EventParser.Fields.CLOUDEVENTS;
        if (!batch) {
            return new UsageRequest(List.of(root), fields, false, UnaryOperator.identity());
        }
        if (root.isEmpty()) {
            throw invalid("a batch must contain at least one event");
        }
        if (root.size() > settings.maxBatchEvents()) {
            throw new ProblemException(Problem.of(400, "batch-too-large", "Batch too large", "a batch may hold at most "
                    + settings.maxBatchEvents() + " events; this one has " + root.size()));
        }
        final List<JsonNode> events = new ArrayList<>(root.size());
        root.forEach(events::add);
        return new UsageRequest(events, fields, true, UnaryOperator.identity());
    }

    /** One CloudEvent in binary mode: its data, if any, is a JSON body. */
    private static UsageRequest binary(final Headers headers, final String contentType, final Long contentLength,
                                       final InputStream body, final IngestSettings settings) {
        final byte[] bytes = bytes(contentLength, body, settings.maxBodyBytes(), true);
        if (bytes.length > 0 && (contentType == null || !CloudEventEnvelope.isJson(contentType))) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    (contentType == null ? "no Content-Type" : "Content-Type '" + contentType + "'") + " for the data "
                            + "of a binary-mode CloudEvent; its data is read as JSON: send " + JSON));
        }
        final JsonNode data = bytes.length == 0 ? null : parse(bytes);
        return new UsageRequest(List.of(BinaryCloudEvent.structured(headers, contentType, data)),
                EventParser.Fields.CLOUDEVENTS, false, BinaryCloudEvent::clientName);
    }

    /**
     * {@code result}, with each violation named as the client wrote the field. A violation kept by its name is kept
     * as it is: a new one would clip an already clipped name again.
     */
    EventParser.Result named(final EventParser.Result result) {
        if (!(result instanceof EventParser.Rejected rejected)) {
            return result;
        }
        final List<Violation> named = new ArrayList<>(rejected.violations().size());
        for (final Violation violation : rejected.violations()) {
            final String field = fieldNames.apply(violation.field());
            named.add(field.equals(violation.field()) ? violation : new Violation(field, violation.detail()));
        }
        return new EventParser.Rejected(named);
    }

    private static byte[] bytes(final Long contentLength, final InputStream body, final int maxBodyBytes,
                                final boolean mayBeEmpty) {
        if (contentLength != null && contentLength > maxBodyBytes) {
            throw tooLarge(maxBodyBytes);
        }
        try {
            final byte[] bytes = body.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(maxBodyBytes);
            }
            if (bytes.length == 0 && !mayBeEmpty) {
                throw invalid("the body is empty");
            }
            return bytes;
        } catch (final IOException e) {
            throw new ProblemException(Problem.of(400, "unreadable-body", "Unreadable body", e.getMessage()));
        }
    }

    private static JsonNode parse(final byte[] bytes) {
        try {
            return EventParser.readTree(bytes);
        } catch (final JsonProcessingException e) {
            final String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "the body is not valid JSON" + where + ": " + e.getOriginalMessage()));
        } catch (final IOException e) {
            throw new ProblemException(Problem.of(400, "unreadable-body", "Unreadable body", e.getMessage()));
        }
    }

    private static ProblemException tooLarge(final int maxBodyBytes) {
        return new ProblemException(Problem.of(413, "body-too-large", "Body too large",
                "the body may be at most " + maxBodyBytes + " bytes"));
    }

    private static ProblemException invalid(final String detail) {
        return new ProblemException(Problem.of(400, "invalid-body", "Invalid body", detail));
    }
}
