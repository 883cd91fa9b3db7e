package dev.meterstream.infra.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the launchers do with the data directories of the processes they ran once those have stopped. */
public final class DataDirectories {
    private DataDirectories() {
    }

    /** Deletes the directory and everything below it; nothing if it does not exist. */
    public static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        final List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(dir)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (final Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }
}
