package dev.meterstream.loadtest.run;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.schema.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Once a second, the pipeline's state during a load run, read from the processor instances' metrics under the names
 * Prometheus records (deploy/prometheus/rules/meterstream.yml), aggregated as the rules do (the max over the
 * instances that answer): the records the processor's group has not committed ({@code processor_group_lag_records},
 * recorded as {@code meterstream:processor_lag_records}), those the sink's group has not
 * ({@code sink_group_lag_records}, {@code meterstream:sink_lag_records}), and how far behind the views are
 * ({@code sink_views_staleness_seconds}, {@code meterstream:views_behind_seconds}); and the CPU each process used
 * over the second, from the OS.
 */
final class PipelineSampler implements AutoCloseable {
    /** The gauges read, as the processor exports them (its GroupLagGauges and SinkMetrics). */
    static final String PROCESSOR_LAG = "processor_group_lag_records";
    static final String SINK_LAG = "sink_group_lag_records";
    static final String VIEWS_BEHIND = "sink_views_staleness_seconds";

    /**
     * One second's reading; a lag or staleness of -1 could not be read (a broker was away, say).
     *
     * @param processorLag records of the raw and repartition topics not yet committed by the processor's group
     * @param sinkLag      records of the sink's input topics not yet committed by its group
     * @param staleSeconds now minus the views' {@code complete_through}, as the sink measures it
     * @param cpu          per process, the share of one core used since the previous reading
     * @param compilers    per process, the share of one core its JIT compiler threads used (part of {@code cpu})
     */
    record Sample(Instant at, long processorLag, long sinkLag, double staleSeconds, Map<String, Double> cpu,
                  Map<String, Double> compilers) {
    }

    private final List<String> processorUrls;
    private final CqlSession session;
    private final String keyspace;
    private final Map<String, Long> pids;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile Map<String, Long> added = Map.of();

    /**
     * @param processorUrls every processor instance's address (one that does not answer, a killed one say, is left
     *                      out of that second's reading)
     * @param session       reads the views' watermark itself for {@link #completeThrough}
     */
    PipelineSampler(final List<String> processorUrls, final CqlSession session, final String keyspace,
                    final Map<String, Long> pids) {
        this.processorUrls = List.copyOf(processorUrls);
        this.session = session;
        this.keyspace = keyspace;
        this.pids = new LinkedHashMap<>(pids);
        this.thread = Thread.ofPlatform().name("pipeline-sampler").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Follows another process from now on (the broker restarted by the fault stage has a new PID). */
    synchronized void follow(final String name, final long pid) {
        final Map<String, Long> next = new LinkedHashMap<>(added);
        next.put(name, pid);
        added = next;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The latest reading, or null before the first. */
    synchronized Sample latest() {
        return samples.isEmpty() ? null : samples.getLast();
    }

    private void run() {
        Map<String, Double> previous = cpuSeconds();
        Map<String, Double> previousCompilers = compilerSeconds();
        long previousNanos = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            final long next = previousNanos + 1_000_000_000L;
            try {
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            } catch (final InterruptedException e) {
                return;
            }
            final List<String> pages = processorUrls.stream().map(ServiceMetrics::page)
                    .flatMap(java.util.Optional::stream).toList();
            final long processorLag = Math.round(max(pages, PROCESSOR_LAG));
            final long sinkLag = Math.round(max(pages, SINK_LAG));
            final double stale = max(pages, VIEWS_BEHIND);
            final Map<String, Double> now = cpuSeconds();
            final Map<String, Double> compilersNow = compilerSeconds();
            final long nanos = System.nanoTime();
            final double elapsed = (nanos - previousNanos) / 1e9;
            final Map<String, Double> cpu = rates(previous, now, elapsed);
            final Map<String, Double> compilers = rates(previousCompilers, compilersNow, elapsed);
            synchronized (this) {
                samples.add(new Sample(Instant.now(), processorLag, sinkLag, stale, cpu, compilers));
            }
            previous = now;
            previousCompilers = compilersNow;
            previousNanos = nanos;
        }
    }

    /** Per process, seconds used per second between two readings (NaN for one not read before). */
    private static Map<String, Double> rates(final Map<String, Double> before, final Map<String, Double> now,
                                             final double elapsed) {
        final Map<String, Double> rates = new LinkedHashMap<>();
        for (final Map.Entry<String, Double> used : now.entrySet()) {
            final Double then = before.get(used.getKey());
            rates.put(used.getKey(), then == null ? Double.NaN : Math.max(0, used.getValue() - then) / elapsed);
        }
        return rates;
    }

    /** The processes followed now: those given at the start, then those {@link #follow}ed since. */
    private Map<String, Long> processes() {
        final Map<String, Long> all = new LinkedHashMap<>(pids);
        all.putAll(added);
        return all;
    }

    private Map<String, Double> compilerSeconds() {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        processes().forEach((name, pid) -> seconds.put(name, CpuSampler.compilerSeconds(pid)));
        return seconds;
    }

    private Map<String, Double> cpuSeconds() {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        processes().forEach((name, pid) -> {
            final OptionalDouble used = CpuSampler.cpuSeconds(pid);
            if (used.isPresent()) {
                seconds.put(name, used.getAsDouble());
            }
        });
        return seconds;
    }

    /** The largest sample of the gauge over the pages, -1 if none has one that is measured. */
    private static double max(final List<String> pages, final String name) {
        return pages.stream().map(page -> ServiceMetrics.max(page, name)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max().orElse(-1);
    }

    /** The views' completeness watermark now, or null if there is none yet. */
    Instant completeThrough() {
        final Row row = session.execute(Views.completeThroughQuery(keyspace)).one();
        return row == null ? null : row.getInstant("complete_through");
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
