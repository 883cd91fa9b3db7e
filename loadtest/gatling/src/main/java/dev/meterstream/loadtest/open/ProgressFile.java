package dev.meterstream.loadtest.open;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends each finished second of the load to {@code progress.csv} while it runs, so that the run's console can
 * show it live (the full recording is written only at the end). A second is written once it is a whole second
 * old, by then its answers have mostly come (late ones still count in {@code seconds.csv}).
 */
public final class ProgressFile implements AutoCloseable {
    public static final String NAME = "progress.csv";

    private final IngestLoad load;
    private final Path file;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("progress-file").daemon().factory());
    private long nextSecond = System.currentTimeMillis() / 1000;

    private ProgressFile(final IngestLoad load, final Path dir) {
        this.load = load;
        this.file = dir.resolve(NAME);
    }

    /** Starts appending to {@code dir/progress.csv} once a second. */
    public static ProgressFile start(final IngestLoad load, final Path dir) {
        final ProgressFile progress = new ProgressFile(load, dir);
        progress.append(IngestLoad.PROGRESS_HEADER + "\n");
        progress.timer.scheduleAtFixedRate(progress::writeFinished, 1, 1, TimeUnit.SECONDS);
        return progress;
    }

    private void writeFinished() {
        final long finished = System.currentTimeMillis() / 1000 - 1;
        final StringBuilder lines = new StringBuilder();
        for (; nextSecond < finished; nextSecond++) {
            lines.append(load.progressLine(nextSecond)).append('\n');
        }
        if (!lines.isEmpty()) {
            append(lines.toString());
        }
    }

    private void append(final String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
