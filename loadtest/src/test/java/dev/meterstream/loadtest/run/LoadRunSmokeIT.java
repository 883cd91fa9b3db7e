package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A short staged run of {@code ./dev load} on real components (one broker, Cassandra, the three services, Gatling):
 * the report is written with its charts, and the exactness check passes with re-sends and late events in the load.
 */
class LoadRunSmokeIT {
    private static final Path ROOT = Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath().normalize();

    @Test
    void shouldWriteAReportWhoseExactnessCheckPassesOnRealComponents() throws Exception {
        final LoadProfile profile = LoadProfile.parse(List.of("--stages", "5s:20,10s:20,2s:0", "--brokers", "1",
                "--tenants", "2", "--subjects", "20", "--meters", "2", "--duplicates", "0.2", "--late", "0.1",
                // One defined meter (the cheapest to check) covers the defined meters' check and storage line.
                "--define-only", "users",
                // A test leaves nothing behind in the checkout, and infra/launcher's AotCacheIT covers the caches.
                "--aot-cache", "off"));

        final LoadRun.Outcome outcome = new LoadRun(ROOT, ROOT.resolve("loadtest/target/smoke-reports"), profile,
                System.out).run();

        final String report = Files.readString(outcome.reportDir().resolve("report.md"));
        assertTrue(outcome.exact(), "exactness failed:\n" + report);
        assertTrue(report.contains("## Exactness: PASS"), report);
        final long accepted = number(report, "Distinct events answered 202: (\\d+)");
        final long resentAccepted = number(report, "re-sends \\((\\d+) of them answered 202\\)");
        assertTrue(accepted > 200, "the load should have had most of its ~270 requests accepted:\n" + report);
        assertTrue(resentAccepted > 0, "the load should have re-sent accepted events:\n" + report);
        assertEquals(0, number(report, "acknowledged but missing (\\d+)"), report);
        assertTrue(number(report, "events_by_subject_day (\\d+)\\.\\d MB") > 0,
                "the events' table size, after a flush:\n" + report);
        assertTrue(number(report, "meter_distinct_values (\\d+)\\.\\d MB") > 0, report);
        final String html = Files.readString(outcome.reportDir().resolve("index.html"));
        assertEquals(5, html.split("<svg").length - 1, "five charts: throughput, latency, lag, staleness, CPU");
        assertTrue(Files.size(outcome.reportDir().resolve("load/seconds.csv")) > 100);
        assertTrue(Files.size(outcome.reportDir().resolve("pipeline.csv")) > 100);
    }

    private static long number(final String text, final String regex) {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "no match for " + regex + " in:\n" + text);
        return Long.parseLong(matcher.group(1));
    }
}
