package dev.meterstream.loadtest.run;

import dev.meterstream.loadtest.measure.CpuSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A load run's report: {@code report.md} (the numbers and the verdict), {@code index.html} (the same with charts
 * of throughput, latency, lag and CPU over time) and {@code pipeline.csv} (the sampler's series). The verdict is
 * {@code PASS} only if every request was answered 202, p99 is within the bound, the pipeline drained within its
 * bound and the exactness check passed; otherwise {@code FAIL} with every reason, and where the load was more than
 * the machine could take, the first second it showed and what each process was using then.
 */
final class LoadReport {
    /** One second of the load, as the load generator recorded it (by completion time). */
    record Second(long epochSecond, long started, long completed, long accepted, long eventsAccepted,
                  Map<String, Long> statuses, long p50, long p90, long p99, long p999, long max, long dropped) {
        long errors() {
            return completed - accepted;
        }
    }

    /** Everything the report is made of. */
    record Inputs(LoadProfile profile, String runId, String machine, Properties totals, List<Second> seconds,
                  List<PipelineSampler.Sample> samples, ExactnessCheck.Result exactness, Duration drained,
                  Duration drainTimeout, ProcessorReading processor, List<String> events, String gatlingReport) {
    }

    /** Seconds in a row a symptom must last to count as saturation. */
    static final int SUSTAINED = 3;

    private final Inputs in;
    private final Instant start;

    LoadReport(final Inputs inputs) {
        this.in = inputs;
        this.start = Instant.ofEpochSecond(inputs.seconds().isEmpty() ? 0 : inputs.seconds().getFirst().epochSecond());
    }

    static List<Second> readSeconds(final Path csv) throws IOException {
        final List<Second> seconds = new ArrayList<>();
        final List<String> lines = Files.readAllLines(csv);
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",", -1);
            final Map<String, Long> statuses = new TreeMap<>();
            for (final String pair : f[5].split(" ")) {
                if (!pair.isBlank()) {
                    statuses.put(pair.split("=")[0], Long.parseLong(pair.split("=")[1]));
                }
            }
            seconds.add(new Second(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), statuses, Long.parseLong(f[6]), Long.parseLong(f[7]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
        }
        return seconds;
    }

    long total(final String key) {
        return Long.parseLong(in.totals().getProperty(key, "0"));
    }

    /** Requests answered otherwise than 202, by status ({@code none}: no answer). */
    Map<String, Long> errors() {
        final Map<String, Long> errors = new TreeMap<>();
        in.totals().stringPropertyNames().stream().filter(key -> key.startsWith("status.") && !key.equals("status.202"))
                .forEach(key -> errors.put(key.substring("status.".length()), total(key)));
        return errors;
    }

    List<String> failures() {
        final List<String> failures = new ArrayList<>();
        final long errors = errors().values().stream().mapToLong(Long::longValue).sum();
        if (errors > 0) {
            failures.add(errors + " requests not answered 202 (" + errors() + ")");
        }
        if (total("requests.dropped") > 0) {
            failures.add(total("requests.dropped") + " arrivals dropped by the load generator (already "
                    + total("requests.max-in-flight") + " requests open: the system took less than the rate)");
        }
        if (total("requests.completed") < total("requests.started")) {
            failures.add((total("requests.started") - total("requests.completed")) + " requests never completed");
        }
        if (total("latency.p99.ms") > in.profile().p99Millis()) {
            failures.add("p99 " + total("latency.p99.ms") + " ms > " + in.profile().p99Millis() + " ms");
        }
        if (in.drained() == null) {
            failures.add("the pipeline had not drained " + in.drainTimeout().toSeconds() + " s after the load");
        } else if (in.drained().toSeconds() > in.profile().drainSeconds()) {
            failures.add("drained in " + in.drained().toSeconds() + " s > " + in.profile().drainSeconds() + " s");
        }
        if (in.exactness() == null) {
            failures.add("exactness not checked");
        } else {
            in.exactness().failures().forEach(failure -> failures.add("exactness: " + failure));
        }
        return failures;
    }

    String verdict() {
        final List<String> failures = failures();
        return failures.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", failures);
    }

    /**
     * The first of {@link #SUSTAINED} seconds in a row in which the load was more than the system took, and what each
     * process used then; or empty. A single bad second (the generator's own JIT warming up, one GC pause) is not
     * saturation.
     */
    String saturation() {
        int inARow = 0;
        for (int i = 0; i < in.seconds().size(); i++) {
            inARow = symptom(in.seconds().get(i)) == null ? 0 : inARow + 1;
            if (inARow == SUSTAINED) {
                final Second first = in.seconds().get(i - SUSTAINED + 1);
                final double offered = offeredAt(first);
                return String.format("first saturated %d s in (for %d s in a row), offered %.0f requests/s (%.0f%% "
                                + "of the peak target), answered 202 %d/s: %s. CPU then (100%% = one core): %s",
                        first.epochSecond() - start.getEpochSecond(), SUSTAINED, offered,
                        100 * offered / peakTarget(), first.accepted(), symptom(first), cpuAt(first.epochSecond()));
            }
        }
        return "";
    }

    /** What shows that this second's load was more than the system took, or null. */
    private String symptom(final Second second) {
        final double offered = offeredAt(second);
        return second.dropped() > 0 ? second.dropped() + " arrivals dropped (too many requests open)"
                : second.errors() > 0 ? second.errors() + " answers not 202 " + second.statuses()
                : second.p99() > in.profile().p99Millis() ? "p99 " + second.p99() + " ms"
                : offered > 50 && second.completed() < 0.95 * offered ? "answered " + second.completed()
                        + "/s of " + Math.round(offered) + "/s offered" : null;
    }

    private double offeredAt(final Second second) {
        return in.profile().rateAt(Duration.ofSeconds(second.epochSecond() - start.getEpochSecond()));
    }

    private double peakTarget() {
        return in.profile().stages().stream().mapToDouble(LoadProfile.Stage::target).max().orElse(1);
    }

    private String cpuAt(final long epochSecond) {
        return in.samples().stream().filter(s -> s.at().getEpochSecond() >= epochSecond).findFirst()
                .map(s -> describeCpu(s.cpu())).orElse("not sampled");
    }

    /** Busiest first, then the total against the machine's cores. */
    private static String describeCpu(final Map<String, Double> cpu) {
        final double total = cpu.values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sum();
        final Map<String, Double> busiestFirst = new LinkedHashMap<>();
        cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> busiestFirst.put(e.getKey(), e.getValue()));
        return CpuSampler.describe(busiestFirst) + String.format("; all %.0f%% of %d00%%", total * 100,
                Runtime.getRuntime().availableProcessors());
    }

    /** Mean CPU per process over the load (from its first to its last answer). */
    private Map<String, Double> meanCpu() {
        final long from = start.getEpochSecond();
        final long to = in.seconds().isEmpty() ? from : in.seconds().getLast().epochSecond();
        final Map<String, double[]> sums = new LinkedHashMap<>();
        in.samples().stream().filter(s -> s.at().getEpochSecond() >= from && s.at().getEpochSecond() <= to)
                .forEach(s -> s.cpu().forEach((name, share) -> {
                    if (!share.isNaN()) {
                        final double[] sum = sums.computeIfAbsent(name, n -> new double[2]);
                        sum[0] += share;
                        sum[1]++;
                    }
                }));
        final Map<String, Double> mean = new LinkedHashMap<>();
        sums.forEach((name, sum) -> mean.put(name, sum[0] / sum[1]));
        return mean;
    }

    /** Writes the report's files into the directory; returns {@code report.md}'s text. */
    String write(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final String markdown = markdown();
        Files.writeString(dir.resolve("report.md"), markdown);
        Files.writeString(dir.resolve("pipeline.csv"), pipelineCsv());
        Files.writeString(dir.resolve("index.html"), html(markdown));
        return markdown;
    }

    private String markdown() {
        final StringBuilder md = new StringBuilder();
        final double loadSeconds = in.seconds().isEmpty() ? 0
                : in.seconds().getLast().epochSecond() - in.seconds().getFirst().epochSecond() + 1;
        md.append("# Load run ").append(in.runId()).append("\n\n");
        md.append("**Verdict: ").append(verdict()).append("**\n\n");
        final String saturation = saturation();
        if (!saturation.isEmpty()) {
            md.append("Saturation: ").append(saturation).append("\n\n");
        }
        md.append("- Machine: ").append(in.machine()).append('\n');
        md.append("- Profile: ").append(in.profile().describe()).append('\n');
        md.append(String.format("- Requests: %d sent (%d more arrivals dropped by the generator), %d answered, %d "
                        + "answered 202 (%.0f/s over %.0f s; peak second %d), errors %s%n", total("requests.started"),
                total("requests.dropped"), total("requests.completed"),
                total("status.202"), total("status.202") / Math.max(1, loadSeconds), loadSeconds,
                in.seconds().stream().mapToLong(Second::accepted).max().orElse(0), errors()));
        if (in.profile().retries() > 0) {
            md.append(String.format("- Retries: %d sends were a request sent again with the same events (its "
                    + "connection failed, or it got 502, 503 or 504); a request counts once, with its last answer%n",
                    total("requests.retried")));
        }
        md.append(String.format("- Latency (all requests, client side): p50 %d ms, p90 %d ms, p99 %d ms, p99.9 %d ms, "
                        + "max %d ms%n", total("latency.p50.ms"), total("latency.p90.ms"), total("latency.p99.ms"),
                total("latency.p99.9.ms"), total("latency.max.ms")));
        md.append(String.format("- Events: %d new, %d re-sends (%d of them answered 202), %d late; processor "
                        + "dropped %d duplicates%n", total("events.new"), total("events.resent"),
                total("events.resent.accepted"), total("events.late"), in.processor().duplicatesDropped()));
        md.append("- Cassandra, as the sink wrote the views: ").append(in.processor().perEvent(
                total("events.accepted.distinct"))).append(" accepted\n");
        md.append("- Drain: ").append(in.drained() == null ? "not drained within " + in.drainTimeout().toSeconds()
                + " s" : in.drained().toMillis() / 1000.0 + " s from the last answer to views complete through it")
                .append('\n');
        final long peakProcessorLag = in.samples().stream().mapToLong(PipelineSampler.Sample::processorLag).max()
                .orElse(-1);
        final long peakSinkLag = in.samples().stream().mapToLong(PipelineSampler.Sample::sinkLag).max().orElse(-1);
        final double peakStale = in.samples().stream().mapToDouble(PipelineSampler.Sample::staleSeconds).max()
                .orElse(-1);
        md.append(String.format("- Pipeline, as Prometheus records it from the processor's metrics: "
                + "meterstream:processor_lag_records peaked at %d, meterstream:sink_lag_records at %d, "
                + "meterstream:views_behind_seconds at %.1f%n", peakProcessorLag, peakSinkLag, peakStale));
        md.append("- CPU over the load (mean, 100% = one core): ").append(describeCpu(meanCpu())).append('\n');
        in.events().forEach(event -> md.append("- ").append(event).append('\n'));
        md.append("\n## Exactness: ");
        final ExactnessCheck.Result x = in.exactness();
        if (x == null) {
            md.append("not checked\n");
        } else {
            md.append(x.passed() ? "PASS" : "FAIL").append("\n\n");
            md.append(String.format("- Distinct events answered 202: %d (sum of quantities %s)%n", x.acknowledged(),
                    x.acknowledgedSum().toPlainString()));
            md.append(String.format("- In the events table: %d (sum %s); acknowledged but missing %d; stored without "
                            + "a 202 (error or no answer, yet written) %d; never sent %d; stored twice %d; wrong "
                            + "quantity %d%n", x.stored(), x.storedSum().toPlainString(), x.missing(),
                    x.unacknowledged(), x.foreign(), x.twice(), x.wrongQuantity()));
            x.aggregateCounts().forEach((view, count) -> md.append(String.format("- %s: count %d, sum %s%n", view,
                    count, x.aggregateSums().get(view).toPlainString())));
            md.append(String.format("- Partition-scoped ids: %d log partitions, %d with gaps%n", x.logPartitions(),
                    x.gappedPartitions()));
            if (x.definedMeters() > 0) {
                md.append(String.format("- Defined meters: %d checked (of %s per tenant and event type), %d wrong%n",
                        x.definedMeters(), String.join(", ", in.profile().definedMeters()),
                        x.definedMeterFailures().size()));
            }
            x.failures().forEach(failure -> md.append("- FAILED: ").append(failure).append('\n'));
        }
        md.append("\n## Files\n\n- index.html: this report with charts\n- seconds.csv: per second, requests and "
                + "latency (load generator)\n- pipeline.csv: per second, lag, staleness and CPU per process\n");
        if (in.gatlingReport() != null) {
            md.append("- Gatling's own report: ").append(in.gatlingReport()).append('\n');
        }
        return md.toString();
    }

    private String pipelineCsv() {
        final List<String> names = in.samples().stream().flatMap(s -> s.cpu().keySet().stream()).distinct().toList();
        final StringBuilder csv = new StringBuilder("second,meterstream:processor_lag_records,"
                + "meterstream:sink_lag_records,meterstream:views_behind_seconds");
        names.forEach(name -> csv.append(",cpu_").append(name));
        csv.append('\n');
        for (final PipelineSampler.Sample s : in.samples()) {
            csv.append(s.at().getEpochSecond()).append(',').append(s.processorLag()).append(',').append(s.sinkLag())
                    .append(',').append(String.format("%.1f", s.staleSeconds()));
            names.forEach(name -> csv.append(',').append(String.format("%.2f", s.cpu().getOrDefault(name, Double.NaN))));
            csv.append('\n');
        }
        return csv.toString();
    }

    private String html(final String markdown) {
        final StringBuilder html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>"
                + "Load run " + in.runId() + "</title></head>\n<body style=\"font-family:sans-serif;max-width:960px\">\n");
        html.append("<pre style=\"white-space:pre-wrap\">").append(SvgChart.escape(markdown)).append("</pre>\n");
        final SvgChart throughput = new SvgChart("Throughput", "requests/s")
                .line("offered", points(this::offeredAt))
                .line("answered 202", points(s -> (double) s.accepted()))
                .line("other answers", points(s -> (double) s.errors()))
                .line("dropped by the generator", points(s -> (double) s.dropped()));
        final SvgChart latency = new SvgChart("Latency (client side)", "ms")
                .line("p50", points(s -> (double) s.p50())).line("p90", points(s -> (double) s.p90()))
                .line("p99", points(s -> (double) s.p99())).line("p99.9", points(s -> (double) s.p999()));
        final SvgChart lag = new SvgChart("Pipeline lag", "records")
                .line("meterstream:processor_lag_records", samplePoints(s -> (double) s.processorLag()))
                .line("meterstream:sink_lag_records", samplePoints(s -> (double) s.sinkLag()));
        final SvgChart stale = new SvgChart("Views behind now (complete_through)", "seconds")
                .line("meterstream:views_behind_seconds", samplePoints(PipelineSampler.Sample::staleSeconds));
        final SvgChart cpu = new SvgChart("CPU per process", "% of one core");
        in.samples().stream().flatMap(s -> s.cpu().keySet().stream()).distinct().forEach(name ->
                cpu.line(name, samplePoints(s -> s.cpu().getOrDefault(name, Double.NaN) * 100)));
        for (final SvgChart chart : List.of(throughput, latency, lag, stale, cpu)) {
            html.append("<div>").append(chart.svg()).append("</div>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private List<double[]> points(final java.util.function.ToDoubleFunction<Second> value) {
        return in.seconds().stream().map(s -> new double[] {s.epochSecond() - start.getEpochSecond(),
            value.applyAsDouble(s)}).toList();
    }

    private List<double[]> samplePoints(final java.util.function.ToDoubleFunction<PipelineSampler.Sample> value) {
        return in.samples().stream().filter(s -> !s.at().isBefore(start))
                .map(s -> new double[] {(s.at().toEpochMilli() - start.toEpochMilli()) / 1000.0,
                    value.applyAsDouble(s)}).toList();
    }
}
