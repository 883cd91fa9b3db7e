package dev.meterstream.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * One batch's way to ingest-api: sent as a JSON array (so that every answer is item by item), retried with the same
 * bytes, and therefore the same ids, while the answer leaves its events unstored or possibly stored (429, 5xx, a
 * timeout, a lost connection), and settled into each event's future from the answer.
 */
final class Exchange {
    private final MeterstreamClient.Settings settings;

    Exchange(final MeterstreamClient.Settings settings) {
        this.settings = settings;
    }

    /** Delivers {@code batch}, retrying until it is answered for good or {@code deliveryTimeout} has passed. */
    void deliver(final List<MeterstreamClient.Pending> batch) {
        final long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
        final byte[] body = body(batch);
        final boolean gzip = settings.compressAbove() >= 0 && body.length > settings.compressAbove();
        final byte[] sent = gzip ? gzip(body) : body;
        boolean mayBeStored = false;
        for (int attempt = 1; ; attempt++) {
            final Outcome outcome = attempt(batch, sent, gzip);
            if (outcome.settled()) {
                return;
            }
            mayBeStored |= outcome.mayBeStored();
            if (outcome.split() && batch.size() > 1) {
                deliver(batch.subList(0, batch.size() / 2));
                deliver(batch.subList(batch.size() / 2, batch.size()));
                return;
            }
            final Duration delay = delay(attempt, outcome.retryAfter());
            if (!outcome.retriable() || System.nanoTime() + delay.toNanos() - deadline > 0) {
                fail(batch, outcome.retriable() ? "not acknowledged within " + settings.deliveryTimeout()
                        + "; last answer: " + outcome.reason() : outcome.reason(), outcome.status(),
                        outcome.problemType(), mayBeStored, outcome.cause());
                return;
            }
            settings.listener().retrying(batch.size(), attempt, outcome.reason(), delay);
            try {
                Thread.sleep(delay.toMillis());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, "interrupted while waiting to retry", outcome.status(), outcome.problemType(),
                        mayBeStored, e);
                return;
            }
        }
    }

    /** What one try came to. */
    private record Outcome(boolean settled, boolean retriable, boolean mayBeStored, boolean split, int status,
                           String problemType, String reason, Duration retryAfter, Throwable cause) {
        static final Outcome SETTLED = new Outcome(true, false, false, false, 0, null, null, null, null);

        static Outcome retry(final int status, final String problemType, final String reason, final Duration after,
                             final boolean mayBeStored, final Throwable cause) {
            return new Outcome(false, true, mayBeStored, false, status, problemType, reason, after, cause);
        }

        static Outcome refused(final int status, final String problemType, final String reason) {
            return new Outcome(false, false, false, false, status, problemType, reason, null, null);
        }

        static Outcome tooLarge(final int status, final String problemType, final String reason) {
            return new Outcome(false, false, false, true, status, problemType, reason, null, null);
        }
    }

    private Outcome attempt(final List<MeterstreamClient.Pending> batch, final byte[] sent, final boolean gzip) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(settings.usages())
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        settings.listener().requestSent(batch.size(), sent.length);
        final long started = System.nanoTime();
        final HttpResponse<String> answer;
        try {
            answer = settings.http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            // A timeout or a lost connection: the events may or may not be stored, and are sent again as they were.
            return Outcome.retry(0, null, e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage(), null, true, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.refused(0, null, "interrupted");
        }
        final int status = answer.statusCode();
        settings.listener().answered(status, batch.size(), Duration.ofNanos(System.nanoTime() - started));
        final Map<String, Object> body = object(answer.body());
        final String type = body.get("type") instanceof String kind ? kind : null;
        final String reason = status + (type == null ? "" : " " + type)
                + (body.get("detail") instanceof String detail ? ": " + detail : "");
        if (status == 202 || status == 207) {
            settle(batch, body);
            return Outcome.SETTLED;
        }
        if (status == 400 && "/problems/invalid-event".equals(type)) {
            rejectAll(batch, body);
            return Outcome.SETTLED;
        }
        if (status == 413 || status == 400 && "/problems/batch-too-large".equals(type)) {
            return Outcome.tooLarge(status, type, reason);
        }
        final Duration retryAfter = answer.headers().firstValue("Retry-After").map(Exchange::seconds).orElse(null);
        if (status == 429) {
            return Outcome.retry(status, type, reason, retryAfter, false, null);
        }
        if (status >= 500) {
            return Outcome.retry(status, type, reason, retryAfter, true, null);
        }
        return Outcome.refused(status, type, reason);
    }

    /** A 202 or 207: each item's result into its event's future, by index. */
    private void settle(final List<MeterstreamClient.Pending> batch, final Map<String, Object> body) {
        final List<?> results = body.get("results") instanceof List<?> list ? list : List.of();
        int delivered = 0;
        int rejected = 0;
        final boolean[] done = new boolean[batch.size()];
        for (final Object item : results) {
            if (!(item instanceof Map<?, ?> result) || !(result.get("index") instanceof BigDecimal index)
                    || index.intValue() < 0 || index.intValue() >= batch.size()) {
                continue;
            }
            final MeterstreamClient.Pending pending = batch.get(index.intValue());
            done[index.intValue()] = true;
            if ("accepted".equals(result.get("status"))) {
                pending.delivery().complete(new Delivery(pending.id(), number(result.get("partition")).intValue(),
                        number(result.get("offset")).longValue()));
                delivered++;
            } else {
                pending.delivery().completeExceptionally(new EventRejectedException(pending.id(),
                        violations(result.get("errors"))));
                rejected++;
            }
        }
        int unknown = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!done[i]) {
                // A 2xx that does not name an item cannot be read: the item may be stored; sending it again is safe.
                batch.get(i).delivery().completeExceptionally(new DeliveryFailedException(batch.get(i).id(),
                        "the answer did not name this event", 0, null, true, null));
                unknown++;
            }
        }
        report(delivered, rejected, unknown);
    }

    /** A 400 invalid-event: no event of the batch is valid; each gets the errors named {@code [i].field}. */
    private void rejectAll(final List<MeterstreamClient.Pending> batch, final Map<String, Object> body) {
        final Map<Integer, List<Violation>> byIndex = new HashMap<>();
        for (final Violation violation : violations(body.get("errors"))) {
            final String field = violation.field();
            if (field.startsWith("[") && field.indexOf(']') > 0) {
                final int index = Integer.parseInt(field.substring(1, field.indexOf(']')));
                final String rest = field.substring(field.indexOf(']') + 1);
                byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(new Violation(
                        rest.startsWith(".") ? rest.substring(1) : rest, violation.detail()));
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).delivery().completeExceptionally(new EventRejectedException(batch.get(i).id(),
                    byIndex.getOrDefault(i, List.of(new Violation("", "invalid (its errors were left out of the "
                            + "answer, which lists at most 100)")))));
        }
        report(0, batch.size(), 0);
    }

    private void fail(final List<MeterstreamClient.Pending> batch, final String reason, final int status,
                      final String problemType, final boolean mayBeStored, final Throwable cause) {
        for (final MeterstreamClient.Pending pending : batch) {
            pending.delivery().completeExceptionally(new DeliveryFailedException(pending.id(), reason, status,
                    problemType, mayBeStored, cause));
        }
        report(0, 0, batch.size());
    }

    private void report(final int delivered, final int rejected, final int failed) {
        if (delivered > 0) {
            settings.listener().delivered(delivered);
        }
        if (rejected > 0) {
            settings.listener().rejected(rejected);
        }
        if (failed > 0) {
            settings.listener().failed(failed);
        }
    }

    /**
     * The wait before the next try: the exponential backoff, or the server's Retry-After if that is longer, spread
     * over up to a quarter more so that many clients told the same thing do not come back at the same instant.
     */
    Duration delay(final int attempt, final Duration retryAfter) {
        final long backoff = Math.min(settings.maxBackoff().toMillis(),
                settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        final long base = Math.max(backoff, retryAfter == null ? 0 : retryAfter.toMillis());
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }

    private static Duration seconds(final String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (final NumberFormatException e) {
            return null; // an HTTP date: the backoff decides
        }
    }

    private static List<Violation> violations(final Object errors) {
        final List<Violation> violations = new ArrayList<>();
        if (errors instanceof List<?> list) {
            for (final Object error : list) {
                if (error instanceof Map<?, ?> map) {
                    violations.add(new Violation(String.valueOf(map.get("field")), String.valueOf(map.get("detail"))));
                }
            }
        }
        return violations;
    }

    private static BigDecimal number(final Object value) {
        return value instanceof BigDecimal number ? number : BigDecimal.valueOf(-1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final String text) {
        try {
            return Json.parse(text) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (final IllegalArgumentException e) {
            return Map.of();
        }
    }

    private static byte[] body(final List<MeterstreamClient.Pending> batch) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).json());
        }
        body.write(']');
        return body.toByteArray();
    }

    private static byte[] gzip(final byte[] plain) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(plain);
        } catch (final IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return bytes.toByteArray();
    }
}
