package dev.meterstream.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU used by named processes over a window, from /proc (Linux): how much of the 2 cores each part of a co-located
 * run took, so a report can say which part saturated. It reads every half second, so a process that exits before
 * {@link #stop()} (wrk, a one-shot tool) is still counted up to its last reading.
 */
public final class CpuSampler {
    /** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long POLL_MILLIS = 500;

    private final Map<String, Long> pids;
    private final Map<String, Reading> first = new ConcurrentHashMap<>();
    private final Map<String, Reading> last = new ConcurrentHashMap<>();
    private Thread poller;

    private record Reading(long ticks, long nanos) {
    }

    public CpuSampler(final Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    public void start() {
        read(first);
        poller = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                read(last);
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Per process, the share of one core used between the first and last readings (1.0 = one full core). */
    public Map<String, Double> stop() {
        poller.interrupt();
        read(last);
        final Map<String, Double> cores = new LinkedHashMap<>();
        for (final String name : pids.keySet()) {
            final Reading from = first.get(name);
            final Reading to = last.get(name);
            cores.put(name, from == null || to == null || to.nanos() == from.nanos() ? Double.NaN
                    : (to.ticks() - from.ticks()) / TICKS_PER_SECOND / ((to.nanos() - from.nanos()) / 1e9));
        }
        return cores;
    }

    /** {@code name 135%, other 16%}: the form the reports print (100% = one core). */
    public static String describe(final Map<String, Double> cores) {
        final java.util.StringJoiner text = new java.util.StringJoiner(", ");
        cores.forEach((name, share) -> text.add(String.format("%s %.0f%%", name, share * 100)));
        return text.toString();
    }

    private void read(final Map<String, Reading> into) {
        pids.forEach((name, pid) -> cpuSeconds(pid).ifPresent(
                seconds -> into.put(name, new Reading(Math.round(seconds * TICKS_PER_SECOND), System.nanoTime()))));
    }

    /**
     * CPU time (seconds) the process's JIT compiler threads (HotSpot's "C1 CompilerThread" and "C2 CompilerThread")
     * have used so far: how much of a process's cost is still compiling. A lower bound: HotSpot stops compiler
     * threads it no longer needs, and a stopped thread's time is no longer listed.
     */
    public static double compilerSeconds(final long pid) {
        double seconds = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (final Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    final String comm = Files.readString(task.resolve("comm"));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        seconds += ticks(Files.readString(task.resolve("stat"))) / TICKS_PER_SECOND;
                    }
                } catch (final IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (final IOException | RuntimeException e) {
            // the process ended meanwhile: what was read so far
        }
        return seconds;
    }

    /** User plus system clock ticks from a /proc stat line (fields 14 and 15; the command may hold spaces). */
    private static long ticks(final String stat) {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** CPU time (user + system, seconds) the process has used so far; empty once it is gone or a zombie. */
    public static java.util.OptionalDouble cpuSeconds(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command's closing parenthesis; a zombie (exited, not yet reaped) has no
            // meaningful times.
            return stat.startsWith("Z", stat.lastIndexOf(')') + 2) ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of(ticks(stat) / TICKS_PER_SECOND);
        } catch (final IOException | RuntimeException e) {
            return java.util.OptionalDouble.empty();
        }
    }
}
