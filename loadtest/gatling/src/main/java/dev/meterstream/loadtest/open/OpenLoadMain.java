package dev.meterstream.loadtest.open;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The lean open-model generator's JVM: the staged load of {@code ./dev load} and {@code loadtest/bench-cost}, sent
 * by {@link OpenLoadGenerator} and recorded by {@link IngestLoad}, with the same inputs and outputs as the Gatling
 * simulation it replaces by default. System properties (set by {@code dev.meterstream.loadtest.run.LoadRun}):
 * load.url, load.keys (one API key per tenant, comma-separated), load.stages, load.batch, load.duplicates,
 * load.late, load.subjects, load.meters, load.run-id, load.max-in-flight, load.max-connections,
 * load.request-timeout-ms, load.retries, load.out. Writes {@code started} when the load starts, {@link ProgressFile}
 * while it runs and the recording at the end.
 */
public final class OpenLoadMain {
    private OpenLoadMain() {
    }

    public static void main(final String[] args) throws Exception {
        final List<String> keys = List.of(required("load.keys").split(","));
        final IngestLoad load = new IngestLoad(required("load.run-id"), keys.size(),
                Integer.getInteger("load.subjects", 1_000), Integer.getInteger("load.meters", 5),
                Integer.getInteger("load.batch", 1), Double.parseDouble(System.getProperty("load.duplicates", "0.05")),
                Double.parseDouble(System.getProperty("load.late", "0.01")),
                Integer.getInteger("load.max-in-flight", 5_000),
                Boolean.getBoolean("load.properties"));
        final Path out = Files.createDirectories(Path.of(required("load.out")));
        final OpenLoadGenerator generator = new OpenLoadGenerator(load, URI.create(required("load.url")), keys,
                ArrivalSchedule.parse(required("load.stages")), Integer.getInteger("load.max-connections", 1_000),
                Long.getLong("load.request-timeout-ms", 10_000), Integer.getInteger("load.retries", 0));
        Files.writeString(out.resolve("started"), Instant.now() + "\n");
        try (ProgressFile progress = ProgressFile.start(load, out)) {
            generator.run();
        }
        load.write(out);
    }

    private static String required(final String key) {
        final String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + key + " is required");
        }
        return value;
    }
}
