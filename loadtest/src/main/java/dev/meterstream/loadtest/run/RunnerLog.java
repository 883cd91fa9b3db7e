package dev.meterstream.loadtest.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the load runner's own library logging goes (java.util.logging, which the Kafka and Cassandra clients log
 * through here): a file of the run's report instead of the console.
 */
final class RunnerLog {
    private RunnerLog() {
    }

    static void toFile(final Path file) {
        try {
            Files.createDirectories(file.getParent());
            final Logger root = LogManager.getLogManager().getLogger("");
            for (final Handler handler : root.getHandlers()) {
                root.removeHandler(handler);
                // A previous run's file in the same JVM is let go (its lock file too); the console's is only
                // flushed.
                handler.close();
            }
            final FileHandler handler = new FileHandler(file.toString(), true);
            handler.setFormatter(new SimpleFormatter());
            root.addHandler(handler);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
