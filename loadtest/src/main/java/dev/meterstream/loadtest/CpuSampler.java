package dev.meterstream.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used by named processes over a window, from /proc (Linux): how much of the 2 cores each part of a co-located
 * run took, so a report can say which part saturated.
 */
final class CpuSampler {
    /** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private long startNanos;

    CpuSampler(final Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    void start() {
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> startTicks.put(name, ticks(pid)));
    }

    /** Per process, the share of one core used since {@link #start()} (1.0 = one full core). */
    Map<String, Double> stop() {
        final double seconds = (System.nanoTime() - startNanos) / 1e9;
        final Map<String, Double> cores = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cores.put(name, (ticks(pid) - startTicks.get(name)) / TICKS_PER_SECOND / seconds));
        return cores;
    }

    private static long ticks(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (final IOException | RuntimeException e) {
            return 0;
        }
    }
}
