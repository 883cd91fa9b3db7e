package dev.meterstream.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.meterstream.loadtest.open.IngestLoad;
import dev.meterstream.loadtest.open.ProgressFile;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The staged load of {@code ./dev load} (open model: requests arrive at the stage's rate whatever the latency, so
 * a slow answer cannot hide the latency of the requests behind it). Stages follow k6's idiom: each
 * {@code duration:target} ramps linearly from the previous target (0 at first) to its own. Every request is a
 * {@code POST /api/usages} built and recorded by {@link IngestLoad}; at the end the recording is written to
 * {@code load.out} for the run's report and exactness check. System properties (set by
 * {@code dev.meterstream.loadtest.run.LoadRun}): load.url, load.keys (one API key per tenant, comma-separated),
 * load.stages, load.batch, load.duplicates, load.late, load.subjects, load.meters, load.run-id, load.out.
 */
public class IngestSimulation extends Simulation {
    private static final List<String> KEYS = List.of(System.getProperty("load.keys").split(","));
    private static final IngestLoad LOAD = new IngestLoad(System.getProperty("load.run-id"), KEYS.size(),
            Integer.getInteger("load.subjects", 1_000), Integer.getInteger("load.meters", 5),
            Integer.getInteger("load.batch", 1), Double.parseDouble(System.getProperty("load.duplicates", "0.05")),
            Double.parseDouble(System.getProperty("load.late", "0.01")),
            Integer.getInteger("load.max-in-flight", 5_000),
                Boolean.getBoolean("load.properties"));

    private final HttpProtocolBuilder protocol = http.baseUrl(System.getProperty("load.url"))
            .contentTypeHeader("application/json")
            .acceptHeader("application/json")
            .shareConnections()
            .disableWarmUp()
            .disableCaching();

    private final ScenarioBuilder post = scenario("usage").exec(session -> {
        final IngestLoad.Request request = LOAD.next();
        return request == null ? session.set("send", false) : session.set("send", true).set("request", request)
                .set("auth", "Bearer " + KEYS.get(request.tenant())).set("body", request.body());
    }).doIf(session -> session.getBoolean("send")).then(exec(http("POST /api/usages").post("/api/usages")
            .header("Authorization", "#{auth}").body(StringBody("#{body}"))
            // Saved before the 202 check, so that a failed check still leaves them in the session.
            .check(status().saveAs("status"), responseTimeInMillis().saveAs("responseMillis"), status().is(202))
    ).exec(session -> {
        LOAD.completed(session.get("request"), session.contains("status") ? session.getInt("status") : null,
                session.contains("responseMillis") ? session.getInt("responseMillis") : null);
        return session;
    }));

    {
        setUp(post.injectOpen(injection(System.getProperty("load.stages")))).protocols(protocol);
    }

    private ProgressFile progress;

    /** Tells the run the load is about to start (its fault stage counts from here) and starts its progress file. */
    @Override
    public void before() {
        try {
            final Path out = java.nio.file.Files.createDirectories(Path.of(System.getProperty("load.out")));
            java.nio.file.Files.writeString(out.resolve("started"), java.time.Instant.now() + "\n");
            progress = ProgressFile.start(LOAD, out);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void after() {
        if (progress != null) {
            progress.close();
        }
        LOAD.write(Path.of(System.getProperty("load.out")));
    }

    /**
     * {@code 30:5000,180:17000,30:0} (seconds:requests per second; the run's LoadProfile writes it so from the
     * user's {@code 30s:5000,3m:17000,30s:0}): each stage ramps from the previous target to its own.
     */
    static OpenInjectionStep[] injection(final String stages) {
        final List<OpenInjectionStep> steps = new ArrayList<>();
        double previous = 0;
        for (final String stage : stages.split(",")) {
            final String[] parts = stage.trim().split(":");
            final Duration duration = Duration.ofSeconds(Long.parseLong(parts[0]));
            final double target = Double.parseDouble(parts[1]);
            if (target == previous) {
                steps.add(target == 0 ? nothingFor(duration) : constantUsersPerSec(target).during(duration));
            } else {
                steps.add(rampUsersPerSec(previous).to(target).during(duration));
            }
            previous = target;
        }
        return steps.toArray(OpenInjectionStep[]::new);
    }
}
