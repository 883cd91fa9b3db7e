package dev.meterstream.loadtest.run;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a load run used, second by second: every process's CPU (the pipeline sampler's), the requests and events
 * answered (the generator's), and how far behind the views were; {@link #over} sums a window of it.
 */
public final class Usage {
    private final Instant loadStarted;
    private final List<PipelineSampler.Sample> samples;
    private final List<LoadReport.Second> seconds;

    Usage(final Instant loadStarted, final List<PipelineSampler.Sample> samples, final List<LoadReport.Second> seconds) {
        this.loadStarted = loadStarted;
        this.samples = List.copyOf(samples);
        this.seconds = List.copyOf(seconds);
    }

    /**
     * One window's totals.
     *
     * @param cpuSeconds  CPU seconds each process used in the window (the load generator included, by its name)
     * @param compilerSeconds of those, the seconds its JIT compiler threads used (at least)
     * @param requests    requests answered 202 (or 207) in the window
     * @param events      events in those answers
     * @param seconds     the window's length
     * @param peakStale   how far behind the views were at most in the window, in seconds
     */
    public record Window(Map<String, Double> cpuSeconds, Map<String, Double> compilerSeconds, long requests,
                         long events, double seconds, double peakStale) {
    }

    /** The totals of the window from {@code from} to {@code to} after the load started. */
    public Window over(final Duration from, final Duration to) {
        final Instant start = loadStarted.plus(from);
        final Instant end = loadStarted.plus(to);
        final Map<String, Double> cpu = new LinkedHashMap<>();
        final Map<String, Double> compilers = new LinkedHashMap<>();
        double peakStale = 0;
        Instant previous = null;
        for (final PipelineSampler.Sample sample : samples) {
            // Each sample is the mean over the interval that ends at it; counted if it ends inside the window.
            if (previous != null && sample.at().isAfter(start) && !sample.at().isAfter(end)) {
                final double interval = Duration.between(previous, sample.at()).toNanos() / 1e9;
                addSeconds(sample.cpu(), interval, cpu);
                addSeconds(sample.compilers(), interval, compilers);
                peakStale = Math.max(peakStale, sample.staleSeconds());
            }
            previous = sample.at();
        }
        long requests = 0;
        long events = 0;
        for (final LoadReport.Second second : seconds) {
            if (second.epochSecond() >= start.getEpochSecond() && second.epochSecond() < end.getEpochSecond()) {
                requests += second.accepted();
                events += second.eventsAccepted();
            }
        }
        return new Window(cpu, compilers, requests, events, Duration.between(start, end).toNanos() / 1e9, peakStale);
    }

    /** Adds each process's cores over {@code interval} seconds into {@code seconds} (a reading of NaN adds nothing). */
    private static void addSeconds(final Map<String, Double> cores, final double interval,
                                   final Map<String, Double> seconds) {
        cores.forEach((process, share) -> {
            if (!Double.isNaN(share)) {
                seconds.merge(process, share * interval, Double::sum);
            }
        });
    }
}
