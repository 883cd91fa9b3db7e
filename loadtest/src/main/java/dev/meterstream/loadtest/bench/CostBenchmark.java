package dev.meterstream.loadtest.bench;

import dev.meterstream.loadtest.run.LoadProfile;
import dev.meterstream.loadtest.run.LoadRun;
import dev.meterstream.loadtest.run.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one event costs the whole pipeline, in CPU, measured from the OS per process:
 * {@code loadtest/bench-cost [seconds=60] [rate=5000] [--brokers 1|3] [--batch N] [--subjects N] [--warm-up S]
 * [--set key=value]...}
 * (1 broker unless asked; {@code --set} configures every service of the stack, as for {@code ./dev up}, to try a
 * lever).
 *
 * <p>A staged load run ({@link LoadRun}: its own {@code ./dev up} stack, the staged runs' workload of 10 tenants x
 * 1,000 subjects x 5 meters with 5% re-sends and 1% late events, an exactness check at the end) at a fixed
 * open-model rate of {@code rate} events per second: a {@value #RAMP_SECONDS} s ramp, then the rate held; the first
 * {@code --warm-up} seconds ({@value #DEFAULT_WARM_UP_SECONDS} unless given) warm the JVMs up and are not measured,
 * the next {@code seconds} are. Every process's CPU is read from {@code /proc} each
 * second; the cost is the CPU the pipeline's processes used in the measured window over the events answered 202 in
 * it, so it includes the brokers' and Cassandra's background work. The load generator is reported on its own and
 * left out of the sum. The line before the last says how much of the cost is still the JVMs' JIT compilers (a large
 * share means the warm-up was short for the machine). The last line is the result:
 * <pre>
 * cost: x ms CPU per event (ingest-api a, kafka b, stream-processor c, cassandra d, query-api e), n events/s
 * sustained, views s s behind at most, generator g ms per request
 * </pre>
 */
public final class CostBenchmark {
    /** Cold JVMs and an open-model step to the full rate fall behind at once and never recover (2026-12-02). */
    private static final long RAMP_SECONDS = 20;
    /**
     * Unmeasured time at the start, the ramp included. The JIT compilers work until the code is hot, and at a low
     * rate that takes a while: at 100 events/s the pipeline's processes used 1.6-1.7 cores 10-30 s into the load
     * (a third of it the C2 compiler threads) and settled at 0.6 after about 70 s (2026-12-02).
     */
    private static final long DEFAULT_WARM_UP_SECONDS = 90;
    /** The parts of the line, in order; each is the sum of the processes whose name starts with it. */
    private static final List<String> PARTS = List.of("ingest-api", "kafka", "stream-processor", "cassandra",
            "query-api");

    private static final List<String> OPTIONS = List.of("--brokers", "--batch", "--subjects", "--set", "--warm-up",
            "--generator", "--aot-cache", "--define-only");
    /** Options without a value, passed to the run as they are. */
    private static final List<String> FLAGS = List.of("--properties", "--define-meters");

    private CostBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final List<String> positional = new ArrayList<>();
        final List<String> options = new ArrayList<>();
        final List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (FLAGS.contains(args[i])) {
                flags.add(args[i]);
            } else if (args[i].startsWith("--")) {
                if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                    usage("unknown option or missing value: " + args[i]);
                }
                options.add(args[i]);
                options.add(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        final long seconds = positional.isEmpty() ? 60 : Long.parseLong(positional.get(0));
        final double eventsPerSecond = positional.size() < 2 ? 5_000 : Double.parseDouble(positional.get(1));
        final int batch = options.contains("--batch") ? Integer.parseInt(options.get(options.indexOf("--batch") + 1))
                : 1;
        final long requestsPerSecond = Math.max(1, Math.round(eventsPerSecond / batch));
        final long warmUp = options.contains("--warm-up")
                ? Math.max(RAMP_SECONDS, Long.parseLong(options.get(options.indexOf("--warm-up") + 1)))
                : DEFAULT_WARM_UP_SECONDS;
        final List<String> profileArgs = new ArrayList<>(flags);
        for (int i = 0; i < options.size(); i += 2) {
            if (!options.get(i).equals("--warm-up")) {
                profileArgs.addAll(options.subList(i, i + 2));
            }
        }
        if (!options.contains("--brokers")) {
            profileArgs.addAll(List.of("--brokers", "1"));
        }
        final String hold = warmUp > RAMP_SECONDS ? (warmUp - RAMP_SECONDS) + "s:" + requestsPerSecond + "," : "";
        profileArgs.addAll(List.of("--stages", RAMP_SECONDS + "s:" + requestsPerSecond + "," + hold + seconds + "s:"
                + requestsPerSecond, "--p99-ms", "1000", "--drain-seconds", "60"));
        final LoadProfile profile = LoadProfile.parse(profileArgs);
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final LoadRun.Outcome outcome = new LoadRun(root, root.resolve("loadtest/reports"), profile, System.out).run();
        final Usage.Window window = outcome.usage().over(Duration.ofSeconds(warmUp),
                Duration.ofSeconds(warmUp + seconds));
        System.out.println();
        System.out.println("exactness " + (outcome.exact() ? "PASS" : "FAIL") + "; staged-run verdict "
                + outcome.verdict() + "; report " + outcome.reportDir().resolve("index.html"));
        System.out.println("cassandra over the whole run: " + outcome.cassandraPerEvent() + " accepted");
        System.out.println(compilersLine(window));
        System.out.println(line(window));
        System.exit(outcome.exact() ? 0 : 1);
    }

    /**
     * How much of the cost line is the JVMs' JIT compilers still at work after the warm-up: if it is a large share,
     * the warm-up was too short for the rate and the machine.
     */
    static String compilersLine(final Usage.Window window) {
        final Map<String, Double> byPart = byPart(window.compilerSeconds());
        final double total = byPart.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format("of which JIT compilers: %.3f ms per event (%s)", perEvent(total, window.events()),
                parts(byPart, window.events()));
    }

    /** The result line of a measured window. */
    static String line(final Usage.Window window) {
        final Map<String, Double> byPart = byPart(window.cpuSeconds());
        final double total = byPart.values().stream().mapToDouble(Double::doubleValue).sum();
        final String parts = parts(byPart, window.events());
        final double generator = window.cpuSeconds().getOrDefault(LoadRun.GENERATOR, 0.0);
        return String.format("cost: %.3f ms CPU per event (%s), %.0f events/s sustained, views %.1f s behind at most, "
                        + "generator %.3f ms per request", perEvent(total, window.events()), parts,
                window.events() / window.seconds(), window.peakStale(),
                window.requests() == 0 ? 0 : generator * 1000 / window.requests());
    }

    /** Seconds per process summed into the cost line's parts (the generator is not one of them). */
    private static Map<String, Double> byPart(final Map<String, Double> secondsByProcess) {
        final Map<String, Double> byPart = new LinkedHashMap<>();
        PARTS.forEach(part -> byPart.put(part, 0.0));
        secondsByProcess.forEach((process, seconds) -> PARTS.stream().filter(process::startsWith).findFirst()
                .ifPresent(part -> byPart.merge(part, seconds, Double::sum)));
        return byPart;
    }

    private static String parts(final Map<String, Double> byPart, final long events) {
        final StringBuilder parts = new StringBuilder();
        byPart.forEach((part, seconds) -> parts.append(parts.isEmpty() ? "" : ", ").append(part).append(' ')
                .append(String.format("%.3f", perEvent(seconds, events))));
        return parts.toString();
    }

    private static double perEvent(final double cpuSeconds, final long events) {
        return events == 0 ? 0 : cpuSeconds * 1000 / events;
    }

    private static void usage(final String problem) {
        System.err.println("bench-cost: " + problem);
        System.err.println("usage: loadtest/bench-cost [seconds=60] [rate=5000 events/s] [--brokers 1|3] [--batch N] "
                + "[--subjects N] [--warm-up seconds=" + DEFAULT_WARM_UP_SECONDS + "] [--set key=value]...");
        System.exit(2);
    }
}
