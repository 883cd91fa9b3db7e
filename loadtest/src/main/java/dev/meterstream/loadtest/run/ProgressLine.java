package dev.meterstream.loadtest.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run's console while the load is on: every {@link #EVERY} a line with what was offered and answered over
 * the last seconds the generator finished ({@code progress.csv}), the worst p99 of those seconds, and the
 * pipeline's latest reading (records behind at the processor and the sink, how far the views are behind).
 */
final class ProgressLine implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final PrintStream out;
    private final Path progressFile;
    private final PipelineSampler sampler;
    private final Instant started;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("progress-line").daemon().factory());
    private int linesShown = 1;

    private ProgressLine(final PrintStream out, final Path progressFile, final PipelineSampler sampler,
                         final Instant started) {
        this.out = out;
        this.progressFile = progressFile;
        this.sampler = sampler;
        this.started = started;
    }

    static ProgressLine start(final PrintStream out, final Path progressFile, final PipelineSampler sampler,
                              final Instant started) {
        final ProgressLine line = new ProgressLine(out, progressFile, sampler, started);
        line.timer.scheduleAtFixedRate(line::print, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return line;
    }

    private void print() {
        try {
            out.println(line());
        } catch (final RuntimeException e) {
            out.println("progress: " + e.getMessage());
        }
    }

    /** One progress line from the seconds not shown yet and the latest pipeline reading. */
    String line() {
        final List<String> lines = readLines();
        long offered = 0;
        long answered = 0;
        long p99 = 0;
        final int seconds = Math.max(0, lines.size() - linesShown);
        for (final String csv : lines.subList(Math.min(linesShown, lines.size()), lines.size())) {
            // second,started,completed,events_accepted,p99_ms,dropped
            final String[] f = csv.split(",");
            offered += Long.parseLong(f[1]) + Long.parseLong(f[5]);
            answered += Long.parseLong(f[2]);
            p99 = Math.max(p99, Long.parseLong(f[4]));
        }
        linesShown = Math.max(linesShown, lines.size());
        final StringBuilder text = new StringBuilder(String.format("%5d s  ",
                Duration.between(started, Instant.now()).toSeconds()));
        if (seconds == 0) {
            text.append("offered -, answered -");
        } else {
            text.append(String.format("offered %,d/s  answered %,d/s  p99 %,d ms", offered / seconds,
                    answered / seconds, p99));
        }
        final PipelineSampler.Sample sample = sampler.latest();
        if (sample != null) {
            text.append(String.format("  lag: processor %s, sink %s  views %s behind", count(sample.processorLag()),
                    count(sample.sinkLag()), sample.staleSeconds() < 0 ? "?" : String.format("%.1f s",
                            sample.staleSeconds())));
        }
        return text.toString();
    }

    /** The file's whole lines (a line the generator is still appending is left for the next time). */
    private List<String> readLines() {
        try {
            if (!Files.exists(progressFile)) {
                return List.of();
            }
            final String text = Files.readString(progressFile);
            return List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n", -1)).stream()
                    .filter(line -> !line.isEmpty()).toList();
        } catch (final IOException e) {
            return List.of();
        }
    }

    private static String count(final long records) {
        return records < 0 ? "?" : String.format("%,d", records);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
