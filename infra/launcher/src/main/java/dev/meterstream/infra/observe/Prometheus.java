package dev.meterstream.infra.observe;

import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.infra.process.Supervised;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Prometheus (the Debian package) scraping every process of a stack on the loopback address, every
 * {@link #SCRAPE_INTERVAL}, with the project's recording and alert rules ({@code deploy/prometheus/rules}). It runs
 * as a supervised child JVM, as HAProxy does, so that it is started and stopped like every other child.
 */
public final class Prometheus implements AutoCloseable {
    /** Short, for a development stack: a load run's minute is twelve points. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /**
     * One scrape job.
     *
     * @param name    the job's name (the {@code job} label)
     * @param path    where its targets answer ({@code /metrics}, {@code /observe/metrics})
     * @param targets {@code host:port} of each
     */
    public record Job(String name, String path, List<String> targets) {
        public Job {
            targets = List.copyOf(targets);
        }
    }

    private final JavaProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Prometheus(final JavaProcess process, final int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Prometheus on {@code port} with its data in {@code dir}, and returns once it is ready.
     *
     * @param rules the rule files it evaluates
     */
    public static Prometheus start(final Path dir, final int port, final List<Job> jobs, final List<Path> rules) {
        final Path config = dir.resolve("prometheus.yml");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(config, config(jobs, rules));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        final JavaProcess process = Supervised.start("prometheus", "prometheus", "runs ./dev up --observe",
                List.of("--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--storage.tsdb.retention.time=2d", "--web.listen-address=" + Ports.LOOPBACK + ":" + port,
                        "--log.level=warn"),
                dir.resolve("prometheus.log"));
        final Prometheus prometheus = new Prometheus(process, port);
        try {
            Await.until("Prometheus to be ready on " + port, READY_TIMEOUT, () -> {
                if (!process.isAlive()) {
                    throw new Await.GaveUp("Prometheus exited; see " + process.logFile());
                }
                return prometheus.get("/-/ready").map(answer -> answer.statusCode() == 200).orElse(false);
            });
            return prometheus;
        } catch (final RuntimeException e) {
            prometheus.close();
            throw e;
        }
    }

    /** The configuration: the jobs, the rule files, one scrape and evaluation interval. */
    static String config(final List<Job> jobs, final List<Path> rules) {
        final StringBuilder text = new StringBuilder("# written by meterstream's launcher; edits are overwritten\n")
                .append("global:\n")
                .append("  scrape_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("  evaluation_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("rule_files:\n");
        rules.forEach(file -> text.append("  - ").append(quoted(file.toString())).append('\n'));
        text.append("scrape_configs:\n");
        for (final Job job : jobs) {
            text.append("  - job_name: ").append(quoted(job.name())).append('\n')
                    .append("    metrics_path: ").append(quoted(job.path())).append('\n')
                    .append("    static_configs:\n")
                    .append("      - targets: [")
                    .append(String.join(", ", job.targets().stream().map(Prometheus::quoted).toList()))
                    .append("]\n");
        }
        return text.toString();
    }

    private static String quoted(final String value) {
        return "'" + value.replace("'", "''") + "'";
    }


    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    public JavaProcess process() {
        return process;
    }

    /** The answer of its HTTP API to a GET of {@code pathAndQuery}, or empty if it did not answer. */
    public Optional<HttpResponse<String>> get(final String pathAndQuery) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        } catch (final IOException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The JSON answer to an instant query of {@code expression}, or empty if it did not answer. */
    public Optional<String> query(final String expression) {
        return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8))
                .filter(answer -> answer.statusCode() == 200).map(HttpResponse::body);
    }

    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
