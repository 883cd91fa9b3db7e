package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Resident memory of processes, read from /proc (Linux), for the line ./dev up prints when ready. */
final class ResidentMemory {
    private ResidentMemory() {
    }

    static String describe(final List<JavaProcess> processes) {
        return processes.stream()
                .map(process -> process.name() + " " + megabytes(process.pid()))
                .collect(Collectors.joining(", ", "resident memory: ", ""));
    }

    private static String megabytes(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    final long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kilobytes / 1024) + " MiB";
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return "?";
        }
        return "?";
    }
}
