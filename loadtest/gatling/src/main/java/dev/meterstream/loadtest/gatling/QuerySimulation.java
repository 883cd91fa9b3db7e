package dev.meterstream.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The query-api benchmark's load (open model: new requests arrive at a fixed rate whatever the latency): half
 * {@code usage} (one subject, hourly windows of a random day of the data), half {@code top} (the 10 highest subjects
 * over a random week, daily windows); or {@code id} alone (one event by its id, of a random subject and day: the
 * benchmark stores one an hour after each day's start, {@code event-<subject>-<day>}). Parameters are system
 * properties set by {@code dev.meterstream.loadtest.bench.QueryBenchmark}: query.url, query.key, query.meter,
 * query.subjects, query.from (first hour of the data), query.days, query.rate (requests/s in all),
 * query.hold-seconds, query.ramp-seconds, query.mix (usage, top, both or id).
 */
public class QuerySimulation extends Simulation {
    private static final String METER = System.getProperty("query.meter", "bench");
    private static final int SUBJECTS = Integer.getInteger("query.subjects", 10_000);
    private static final Instant FROM = Instant.parse(System.getProperty("query.from"));
    private static final int DAYS = Integer.getInteger("query.days", 30);
    private static final int RATE = Integer.getInteger("query.rate", 1_000);
    private static final int HOLD = Integer.getInteger("query.hold-seconds", 60);
    private static final int RAMP = Integer.getInteger("query.ramp-seconds", 20);
    /** usage, top, both (half the rate each), or id. */
    private static final String MIX = System.getProperty("query.mix", "both");

    private final HttpProtocolBuilder protocol = http.baseUrl(System.getProperty("query.url"))
            .authorizationHeader("Bearer " + System.getProperty("query.key"))
            .acceptHeader("application/json")
            .shareConnections()
            .disableWarmUp();

    private static Iterator<Map<String, Object>> days(final int length) {
        return Stream.generate(() -> {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            final Instant from = FROM.plus(Duration.ofDays(random.nextInt(DAYS - length + 1)));
            return Map.<String, Object>of("subject", "subject-" + random.nextInt(SUBJECTS), "from", from.toString(),
                    "to", from.plus(Duration.ofDays(length)).toString());
        }).iterator();
    }

    private final ScenarioBuilder usage = scenario("usage").feed(days(1)).exec(http("usage")
            .get("/api/meters/" + METER + "/usage?window=HOUR&from=#{from}&to=#{to}&subject=#{subject}")
            .check(status().is(200)));

    private final ScenarioBuilder top = scenario("top").feed(days(7)).exec(http("top")
            .get("/api/meters/" + METER + "/top?window=DAY&limit=10&from=#{from}&to=#{to}")
            .check(status().is(200)));

    private final ScenarioBuilder byId = scenario("id").feed(Stream.generate(() -> {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        return Map.<String, Object>of("id", "event-" + random.nextInt(SUBJECTS) + "-" + random.nextInt(DAYS));
    }).iterator()).exec(http("id").get("/api/usages/#{id}").check(status().is(200)));

    {
        final java.util.List<io.gatling.javaapi.core.PopulationBuilder> load = new java.util.ArrayList<>();
        final double each = MIX.equals("both") ? RATE / 2.0 : RATE;
        final java.util.List<ScenarioBuilder> scenarios = switch (MIX) {
            case "usage" -> java.util.List.of(usage);
            case "top" -> java.util.List.of(top);
            case "both" -> java.util.List.of(usage, top);
            case "id" -> java.util.List.of(byId);
            default -> throw new IllegalArgumentException("query.mix must be usage, top, both or id, was " + MIX);
        };
        for (final ScenarioBuilder scenario : scenarios) {
            load.add(scenario.injectOpen(rampUsersPerSec(1).to(each).during(RAMP),
                    constantUsersPerSec(each).during(HOLD)));
        }
        setUp(load).protocols(protocol).assertions(global().failedRequests().count().is(0L));
    }
}
