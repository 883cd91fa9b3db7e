package dev.meterstream.loadtest.run;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./dev load [--stages 30s:5000,3m:17000,30s:0] [--batch N] [--duplicates 0.05] [--late 0.01]
 * [--tenants N] [--subjects N] [--meters N] [--brokers 1|3] [--kill-broker] [--instances 1-3] [--kill-instances]
 * [--retries N] [--p99-ms 50] [--drain-seconds 60]
 * [--set key=value]...}.
 * Wiring only: the run is {@link LoadRun}. Exits 0 on a PASS verdict, 1 on FAIL, 2 on a bad command line.
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(final String[] args) throws Exception {
        final boolean help = List.of(args).contains("--help") || List.of(args).contains("-h");
        final LoadProfile profile;
        try {
            if (help) {
                throw new IllegalArgumentException("a staged load run on its own stack, with a report");
            }
            profile = LoadProfile.parse(List.of(args));
        } catch (final IllegalArgumentException e) {
            System.err.println("./dev load: " + e.getMessage());
            System.err.println("usage: ./dev load [--stages 30s:5000,3m:17000,30s:0] [--batch N] [--duplicates 0.05] "
                    + "[--late 0.01] [--tenants N] [--subjects N] [--meters N] [--brokers 1|3] [--kill-broker] "
                    + "[--instances 1-3] [--kill-instances] [--retries N] [--p99-ms 50] [--drain-seconds 60] "
                    + "[--max-in-flight 5000] [--generator lean|gatling] "
                    + "[--aot-cache on|off] [--set key=value]...");
            System.exit(help ? 0 : 2);
            return;
        }
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final LoadRun.Outcome outcome = new LoadRun(root, root.resolve("loadtest/reports"), profile,
                System.out).run();
        System.out.println("\n" + outcome.verdict());
        System.out.println("report: " + outcome.reportDir().resolve("index.html"));
        System.exit(outcome.verdict().equals("PASS") ? 0 : 1);
    }
}
