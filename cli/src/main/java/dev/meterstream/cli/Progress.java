package dev.meterstream.cli;

import java.io.PrintStream;

/**
 * One line on stderr, redrawn at most every 200 ms: a bar when the input's size is known (a file), and always the
 * counts and the rate. Off with {@code --quiet}, or when stderr is not a terminal.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long total;
    private final boolean on;
    private final long started = System.nanoTime();
    private long lastDrawn;

    Progress(final PrintStream err, final long total, final boolean quiet) {
        this.err = err;
        this.total = total;
        this.on = !quiet && System.console() != null;
    }

    void show(final long done, final SendCommand.Tally tally) {
        final long now = System.nanoTime();
        if (!on || now - lastDrawn < 200_000_000L) {
            return;
        }
        lastDrawn = now;
        err.print("\r" + line(done, tally, now));
        err.flush();
    }

    void done(final SendCommand.Tally tally) {
        if (on) {
            err.print("\r" + line(total, tally, System.nanoTime()) + "\n");
            err.flush();
        }
    }

    String line(final long done, final SendCommand.Tally tally, final long now) {
        final StringBuilder line = new StringBuilder();
        if (total > 0) {
            final int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            line.append('[').append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%3d%% ", 100 * done / total));
        }
        final double seconds = Math.max(1e-3, (now - started) / 1e9);
        return line.append(String.format("sent %,d  accepted %,d  rejected %,d  retried %,d  %,.0f/s",
                tally.sent.sum(), tally.accepted.sum(), tally.rejected.sum(), tally.retries.sum(),
                tally.sent.sum() / seconds)).toString();
    }
}
