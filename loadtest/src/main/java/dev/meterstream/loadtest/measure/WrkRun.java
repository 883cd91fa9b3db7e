package dev.meterstream.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of wrk (Debian's package) with a Lua script from loadtest/wrk, and what its script printed: responses by
 * status, latency percentiles and the request rate.
 *
 * @param statuses       responses by HTTP status
 * @param requestsPerSecond completed requests per second
 * @param p50Millis      latency percentiles in milliseconds
 */
public record WrkRun(Map<Integer, Long> statuses, double requestsPerSecond, double p50Millis, double p90Millis,
              double p99Millis, double p999Millis, double maxMillis, String output, long pid) {
    private static final Pattern STATUS = Pattern.compile("status (\\d+): (\\d+)");
    private static final Pattern LATENCY = Pattern.compile(
            "p50 ([\\d.]+) ms, p90 ([\\d.]+) ms, p99 ([\\d.]+) ms, p99.9 ([\\d.]+) ms, max ([\\d.]+) ms");
    private static final Pattern RATE = Pattern.compile("requests/s (\\d+)");

    public long total() {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errors() {
        return statuses.entrySet().stream().filter(e -> e.getKey() != 202).mapToLong(Map.Entry::getValue).sum()
                + socketErrors();
    }

    public long socketErrors() {
        final Matcher matcher = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(output);
        if (!matcher.find()) {
            return 0;
        }
        long sum = 0;
        for (int i = 1; i <= 4; i++) {
            sum += Long.parseLong(matcher.group(i));
        }
        return sum;
    }

    /** Starts wrk; {@code onStarted} gets its PID (for CPU sampling) while it runs. */
    public static WrkRun run(final Path script, final String url, final int threads, final int connections,
                      final Duration duration, final Map<String, String> environment,
                      final java.util.function.LongConsumer onStarted, final Path log) throws IOException,
            InterruptedException {
        final List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s", script.toString(), url));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        final Process wrk = builder.start();
        try {
            onStarted.accept(wrk.pid());
            if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wrk did not finish; see " + log);
            }
        } finally {
            wrk.destroyForcibly();
        }
        final String output = Files.readString(log);
        final Map<Integer, Long> statuses = new LinkedHashMap<>();
        final Matcher status = STATUS.matcher(output);
        while (status.find()) {
            statuses.put(Integer.parseInt(status.group(1)), Long.parseLong(status.group(2)));
        }
        final Matcher latency = LATENCY.matcher(output);
        final Matcher rate = RATE.matcher(output);
        if (!latency.find() || !rate.find()) {
            throw new IllegalStateException("wrk printed no summary; see " + log);
        }
        return new WrkRun(statuses, Double.parseDouble(rate.group(1)), Double.parseDouble(latency.group(1)),
                Double.parseDouble(latency.group(2)), Double.parseDouble(latency.group(3)),
                Double.parseDouble(latency.group(4)), Double.parseDouble(latency.group(5)), output, wrk.pid());
    }
}
