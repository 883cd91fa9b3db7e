package dev.meterstream.loadtest.run;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.Topics;
import dev.meterstream.infra.kafka.ConsumerGroups;
import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.schema.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.clients.admin.Admin;

/**
 * Once a second, the pipeline's state during a load run: records on the raw topic the processor has not committed
 * yet, records on the canonical log and aggregates topics the Cassandra sink has not committed yet, how far behind
 * the views' completeness watermark is, and the CPU each process used over the second.
 */
final class PipelineSampler implements AutoCloseable {
    static final String PROCESSOR_GROUP = "meterstream-processor";
    static final String SINK_GROUP = "meterstream-sink";

    /**
     * One second's reading; a lag or staleness of -1 could not be read (a broker was away, say).
     *
     * @param processorLag raw records not yet committed by the processor
     * @param sinkLag      canonical log and aggregates records not yet committed by the sink
     * @param staleSeconds now minus the views' {@code complete_through}
     * @param cpu          per process, the share of one core used since the previous reading
     * @param compilers    per process, the share of one core its JIT compiler threads used (part of {@code cpu})
     */
    record Sample(Instant at, long processorLag, long sinkLag, double staleSeconds, Map<String, Double> cpu,
                  Map<String, Double> compilers) {
    }

    private final Admin admin;
    private final CqlSession session;
    private final String keyspace;
    private final Map<String, Long> pids;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile Map<String, Long> added = Map.of();

    PipelineSampler(final Admin admin, final CqlSession session, final String keyspace, final Map<String, Long> pids) {
        this.admin = admin;
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
            final long processorLag = lag(PROCESSOR_GROUP, List.of(Topics.RAW));
            final long sinkLag = lag(SINK_GROUP, List.of(Topics.EVENTS, Topics.AGGREGATES));
            final double stale = staleSeconds();
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

    private long lag(final String group, final List<String> topics) {
        try {
            return ConsumerGroups.lag(admin, group, topics);
        } catch (final Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    private double staleSeconds() {
        try {
            final Instant through = completeThrough();
            return through == null ? -1 : (System.currentTimeMillis() - through.toEpochMilli()) / 1000.0;
        } catch (final RuntimeException e) {
            return -1;
        }
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
