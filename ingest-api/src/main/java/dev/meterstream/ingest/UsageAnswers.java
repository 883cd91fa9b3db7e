package dev.meterstream.ingest;

import dev.meterstream.event.EventParser;
import dev.meterstream.event.JsonBytes;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.Violation;
import dev.meterstream.support.http.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of {@code POST /api/usages}' answers: one event's acknowledgement ({@code 202}), a batch's results
 * item by item ({@code 202} or {@code 207}), and a refused request's violations, named by index in a batch.
 */
final class UsageAnswers {
    private UsageAnswers() {
    }

    /**
     * A refused request's problem: every rejected event's violations, named by index in a batch, at most
     * {@value Problem#MAX_ERRORS_PER_ITEM} of each event and {@value Problem#MAX_ERRORS} in all; the rest counted.
     */
    static Problem refused(final Problem problem, final List<EventParser.Result> results, final boolean batch) {
        final List<Violation> all = new ArrayList<>();
        int omitted = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof EventParser.Rejected rejected) {
                final List<Violation> listed = Problem.firstOf(rejected.violations(), Problem.MAX_ERRORS_PER_ITEM);
                omitted += rejected.violations().size() - listed.size();
                for (final Violation violation : listed) {
                    all.add(batch ? new Violation("[" + i + "]" + (violation.field().isEmpty() ? "" : "."
                            + violation.field()), violation.detail()) : violation);
                }
            }
        }
        return problem.withErrors(all, omitted);
    }

    static byte[] single(final UsageEvent event, final Acknowledgement ack) {
        return JsonBytes.write(128, json -> {
            json.writeStartObject();
            json.writeStringField("id", event.id());
            json.writeStringField("status", "accepted");
            json.writeNumberField("partition", ack.partition());
            json.writeNumberField("offset", ack.offset());
            json.writeEndObject();
        });
    }

    static byte[] batch(final List<EventParser.Result> results, final List<Acknowledgement> acks) {
        return JsonBytes.write(128, json -> {
            json.writeStartObject();
            json.writeNumberField("accepted", acks.size());
            json.writeNumberField("rejected", results.size() - acks.size());
            json.writeArrayFieldStart("results");
            int next = 0;
            for (int i = 0; i < results.size(); i++) {
                json.writeStartObject();
                json.writeNumberField("index", i);
                if (results.get(i) instanceof EventParser.Accepted accepted) {
                    final Acknowledgement ack = acks.get(next++);
                    json.writeStringField("id", accepted.event().id());
                    json.writeStringField("status", "accepted");
                    json.writeNumberField("partition", ack.partition());
                    json.writeNumberField("offset", ack.offset());
                } else {
                    json.writeStringField("status", "rejected");
                    Problem.writeItemErrors(json, ((EventParser.Rejected) results.get(i)).violations());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
