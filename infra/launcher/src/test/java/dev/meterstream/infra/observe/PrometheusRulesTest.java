package dev.meterstream.infra.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.process.Installed;
import dev.meterstream.infra.process.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules and the configuration Prometheus runs with, checked by Prometheus' own {@code promtool} (Debian's
 * {@code prometheus} package): the rules parse, each alert fires on the series in {@code meterstream-test.yml} and
 * not on a healthy pipeline, and the configuration the launcher writes is one Prometheus accepts.
 */
class PrometheusRulesTest {
    static final Path ROOT = Path.of(System.getProperty("meterstream.home", "../..")).toAbsolutePath().normalize();
    static final Path RULES = ROOT.resolve("deploy/prometheus/rules");

    @Test
    void shouldParseTheRules() throws Exception {
        final Result result = promtool("check", "rules", RULES.resolve("meterstream.yml").toString());
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void shouldFireEachAlertOnItsSeriesAndNoneOnAHealthyPipeline() throws Exception {
        final Result result = promtool("test", "rules", RULES.resolve("meterstream-test.yml").toString());
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void shouldWriteAConfigurationPrometheusAccepts(@TempDir final Path dir) throws Exception {
        final Path config = Files.writeString(dir.resolve("prometheus.yml"), Prometheus.config(List.of(
                new Prometheus.Job("ingest-api", "/observe/metrics",
                        List.of(Ports.LOOPBACK + ":8080", Ports.LOOPBACK + ":8083")),
                new Prometheus.Job("kafka", "/metrics", List.of(Ports.LOOPBACK + ":9404"))),
                List.of(RULES.resolve("meterstream.yml"))));
        final Result result = promtool("check", "config", config.toString());
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("1 rule files found"), result.output());
    }

    record Result(int exit, String output) {
    }

    static Result promtool(final String... args) throws IOException, InterruptedException {
        final Path binary = Installed.program("promtool").orElseThrow(() -> new IllegalStateException(
                "promtool is not installed: apt-get install prometheus (.ci/run does)"));
        final List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
