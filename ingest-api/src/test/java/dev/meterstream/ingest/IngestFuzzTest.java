package dev.meterstream.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meterstream.event.EventParser;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.Violation;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jazzer over the whole ingest handler, in process: the real routes, key filter, body limits, parser and answers,
 * with the publisher stubbed to acknowledge at once. Whatever the bytes, the content type and the key:
 * <ul>
 *   <li>no 5xx, and every refusal is an RFC 9457 problem;</li>
 *   <li>every event the edge accepts is one the processor takes as it is (it survives the log's JSON and keeps the
 *       rules the processor checks), so nothing acknowledged is later dead-lettered;</li>
 *   <li>a 202 or 207 counts exactly the events handed to the publisher.</li>
 * </ul>
 * {@code ./mvnw verify} runs both on the seed corpus ({@code IngestFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes one for its maxDuration (CI); {@code bin/fuzz handler -runs=10000000} makes a long run (docs/security.md).
 *
 * <p>The first byte of an input picks the content type and whether a known key is sent; the rest is the body.
 */
class IngestFuzzTest {
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/cloudevents+json",
            "application/cloudevents-batch+json", "application/json; charset=utf-8", "text/plain",
            "application/x-ndjson", "APPLICATION/JSON", "application/cloudevents+json; charset=UTF-8");
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final IngestSettings SETTINGS = TestSettings.create("unused:9092");
    private static final AcceptingPublisher PUBLISHER = new AcceptingPublisher();
    private static final DirectClient CLIENT = client();

    private static DirectClient client() {
        final HttpRouting.Builder routing = HttpRouting.builder();
        final IngestMetrics metrics = new IngestMetrics(() -> 0.0, () -> 0);
        IngestServer.routing(routing, IngestServer.keys(SETTINGS, Optional.empty()), metrics, new UsageService(
                SETTINGS, PUBLISHER, new Semaphore(SETTINGS.maxInFlightEvents()), metrics,
                Clock.fixed(NOW, ZoneOffset.UTC)));
        return new DirectClient(routing);
    }

    @FuzzTest(maxDuration = "40s")
    void handler(final byte[] input) throws Exception {
        final int flags = input.length == 0 ? 0 : input[0] & 0xff;
        final String contentType = CONTENT_TYPES.get(flags % CONTENT_TYPES.size());
        final String key = (flags & 0x80) == 0 ? TestSettings.ACME_KEY : "ms_not-a-key";
        final byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        PUBLISHER.published.clear();
        final int status;
        final String answer;
        final String answerType;
        try (Http1ClientResponse response = CLIENT.post(UsageService.PATH)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + key)
                .header(HeaderNames.CONTENT_TYPE, contentType)
                .submit(body)) {
            status = response.status().code();
            answer = response.as(String.class);
            answerType = response.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        }
        if (status >= 500) {
            throw new AssertionError("a " + status + " for " + describe(contentType, body) + ": " + answer);
        }
        final List<UsageEvent> published = List.copyOf(PUBLISHER.published);
        if (status >= 400) {
            final JsonNode problem = EventParser.READER.readTree(answer);
            if (!answerType.startsWith("application/problem+json") || problem == null || !problem.has("type")
                    || problem.get("status").asInt() != status) {
                throw new AssertionError("a " + status + " that is not a problem: " + answerType + " " + answer);
            }
            if (!published.isEmpty()) {
                throw new AssertionError("a refused request published " + published.size() + " events");
            }
            return;
        }
        final JsonNode json = EventParser.READER.readTree(answer);
        final int accepted = json.has("accepted") ? json.get("accepted").asInt() : 1;
        if (accepted != published.size()) {
            throw new AssertionError("answered " + accepted + " accepted, published " + published.size());
        }
        for (final UsageEvent event : published) {
            takenByTheProcessor(event);
        }
    }

    /**
     * The request parser alone, faster than the handler: a body read as each content type (and as the data of a
     * binary-mode CloudEvent), then every event parsed
     * as the edge parses it. Only refusals ({@link dev.meterstream.support.http.ProblemException}) may come out, and
     * every event it accepts is one the processor takes.
     */
    @FuzzTest(maxDuration = "40s")
    void parser(final byte[] input) {
        final int flags = input.length == 0 ? 0 : input[0] & 0xff;
        final String contentType = CONTENT_TYPES.get(flags % CONTENT_TYPES.size());
        final byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        final UsageRequest request;
        try {
            final io.helidon.http.WritableHeaders<?> headers = io.helidon.http.WritableHeaders.create()
                    .add(io.helidon.http.HeaderNames.CONTENT_TYPE, contentType);
            if ((flags & 0x80) != 0) { // a binary-mode CloudEvent: its attributes in headers, the body its data
                headers.add(io.helidon.http.HeaderNames.create("ce-specversion"), "1.0")
                        .add(io.helidon.http.HeaderNames.create("ce-id"), "f%C3%BCzz")
                        .add(io.helidon.http.HeaderNames.create("ce-source"), "/fuzz")
                        .add(io.helidon.http.HeaderNames.create("ce-type"), "m")
                        .add(io.helidon.http.HeaderNames.create("ce-subject"), "s");
            }
            request = UsageRequest.read(headers, (long) body.length, new java.io.ByteArrayInputStream(body),
                    SETTINGS);
        } catch (final dev.meterstream.support.http.ProblemException refused) {
            return;
        }
        final EventParser parser = new EventParser(SETTINGS.rules());
        for (final JsonNode node : request.events()) {
            if (parser.parse(node, request.fields(), "acme", NOW, null) instanceof EventParser.Accepted accepted) {
                takenByTheProcessor(accepted.event());
            }
        }
    }

    /** What the processor's decode step checks of a raw record (DecodeProcessor): each would dead-letter it. */
    private static void takenByTheProcessor(final UsageEvent event) {
        final UsageEvent read;
        try {
            read = UsageEventBytes.read(UsageEventBytes.write(event));
        } catch (final RuntimeException e) {
            throw new AssertionError("an accepted event the log cannot read back: " + event, e);
        }
        if (!read.equals(event)) {
            throw new AssertionError("an accepted event changed in the log: " + event + " became " + read);
        }
        final List<Violation> broken = SETTINGS.rules().check(read);
        if (!broken.isEmpty()) {
            throw new AssertionError("an accepted event the processor would dead-letter: " + broken + " " + event);
        }
    }

    private static String describe(final String contentType, final byte[] body) {
        return contentType + " " + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }

    /** Acknowledges every event at once, at increasing offsets, and keeps what it was given. */
    private static final class AcceptingPublisher implements EventPublisher {
        private final List<UsageEvent> published = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong offset = new AtomicLong();

        @Override
        public CompletableFuture<Acknowledgement> publish(final UsageEvent event) {
            published.add(event);
            return CompletableFuture.completedFuture(new Acknowledgement(0, offset.getAndIncrement()));
        }

        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
