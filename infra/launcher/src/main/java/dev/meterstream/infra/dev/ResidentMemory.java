package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Resident memory of processes, read from /proc (Linux), for the line ./dev up prints when ready. A supervised
 * program (HAProxy, Prometheus) is its JVM's child: its memory is counted with its JVM's.
 */
final class ResidentMemory {
    private ResidentMemory() {
    }

    static String describe(final List<JavaProcess> processes) {
        return processes.stream()
                .map(process -> process.name() + " " + megabytes(process.handle()))
                .collect(Collectors.joining(", ", "resident memory: ", ""));
    }

    private static String megabytes(final ProcessHandle process) {
        final OptionalLong own = kilobytes(process.pid());
        if (own.isEmpty()) {
            return "?";
        }
        final long children = process.descendants().mapToLong(child -> kilobytes(child.pid()).orElse(0)).sum();
        return ((own.getAsLong() + children) / 1024) + " MiB";
    }

    private static OptionalLong kilobytes(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
