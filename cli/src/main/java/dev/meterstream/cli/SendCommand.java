package dev.meterstream.cli;

import dev.meterstream.client.ClientListener;
import dev.meterstream.client.Delivery;
import dev.meterstream.client.DeliveryFailedException;
import dev.meterstream.client.EventRejectedException;
import dev.meterstream.client.MeterstreamClient;
import dev.meterstream.client.UsageEvent;
import dev.meterstream.client.Violation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code meterstream send [file]}: JSON lines from the file or stdin, sent batched through the client, with progress
 * on stderr and a summary on stdout: read, sent, accepted, rejected (by reason), failed, retried. Exit 0 if every
 * line was accepted, 1 otherwise.
 */
final class SendCommand {
    private final Endpoints endpoints;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    SendCommand(final Endpoints endpoints, final InputStream stdin, final PrintStream out, final PrintStream err) {
        this.endpoints = endpoints;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    int run(final Arguments args) throws IOException {
        if (args.positionals().size() > 1) {
            throw new UsageException("send takes at most one file");
        }
        final Path file = args.positionals().isEmpty() || args.positionals().get(0).equals("-") ? null
                : Path.of(args.positionals().get(0));
        final long total = file == null ? 0 : Files.size(file);
        final Tally tally = new Tally();
        final Progress progress = new Progress(err, total, args.flag("quiet"));
        final MeterstreamClient.Builder builder = MeterstreamClient.builder(URI.create(endpoints.ingestUrl(args)),
                        endpoints.key(args, "MS_API_KEY", "dev-api-key"))
                .maxBatchEvents(args.integer("batch", 500))
                .linger(Duration.ofMillis(args.integer("linger-ms", 10)))
                .deliveryTimeout(Duration.ofSeconds(args.integer("timeout-s", 120)))
                .listener(tally);
        try (InputStream in = file == null ? stdin : Files.newInputStream(file);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             MeterstreamClient client = builder.build()) {
            final AtomicLong bytes = new AtomicLong();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                bytes.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1L);
                if (line.isBlank()) {
                    continue;
                }
                tally.read.increment();
                final UsageEvent event;
                try {
                    event = EventLine.read(line);
                } catch (final IllegalArgumentException e) {
                    tally.notSent(e.getMessage());
                    continue;
                }
                final CompletableFuture<Delivery> delivery = client.send(event);
                tally.sent.increment();
                delivery.whenComplete((done, failure) -> tally.settle(failure));
                progress.show(bytes.get(), tally);
            }
        }
        progress.done(tally);
        tally.summarize(out);
        return tally.accepted.sum() == tally.read.sum() ? 0 : 1;
    }

    /** What became of the lines, counted as the client reports it. */
    static final class Tally implements ClientListener {
        final LongAdder read = new LongAdder();
        final LongAdder sent = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder retries = new LongAdder();
        final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

        @Override
        public void retrying(final int events, final int attempt, final String reason, final Duration delay) {
            retries.increment();
        }

        void settle(final Throwable failure) {
            if (failure == null) {
                accepted.increment();
                return;
            }
            final Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause()
                    : failure;
            if (cause instanceof EventRejectedException refused) {
                rejected.increment();
                for (final Violation violation : refused.violations()) {
                    reasons.computeIfAbsent(violation.field() + ": " + violation.detail(), r -> new LongAdder())
                            .increment();
                }
            } else {
                failed.increment();
                final String why = cause instanceof DeliveryFailedException notDelivered ? notDelivered.getMessage()
                        .replaceFirst("^event \\S+ was not delivered: ", "") : String.valueOf(cause);
                reasons.computeIfAbsent("not delivered: " + why, r -> new LongAdder()).increment();
            }
        }

        void notSent(final String reason) {
            rejected.increment();
            reasons.computeIfAbsent("not sent: " + reason, r -> new LongAdder()).increment();
        }

        void summarize(final PrintStream out) {
            out.printf("read %d, sent %d, accepted %d, rejected %d, failed %d, requests retried %d%n", read.sum(),
                    sent.sum(), accepted.sum(), rejected.sum(), failed.sum(), retries.sum());
            if (!reasons.isEmpty()) {
                out.println("reasons, most frequent first:");
                reasons.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                        .limit(20)
                        .forEach(reason -> out.printf("%8d  %s%n", reason.getValue().sum(), reason.getKey()));
                if (reasons.size() > 20) {
                    out.printf("     ...  and %d other reasons%n", reasons.size() - 20);
                }
            }
        }
    }
}
