package dev.meterstream.loadtest.run;

import dev.meterstream.infra.dev.ConfigOverrides;
import dev.meterstream.loadtest.open.LoadEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a staged load run does, from the command line of {@code ./dev load}. Defaults are the goal of issue 7:
 * 1,000,000 single-event requests a minute held for 3 minutes on a 3-broker cluster.
 *
 * @param stages       k6-style stages: each ramps linearly from the previous target (0 at first) to its own
 * @param batch        events per POST (1: single-event requests)
 * @param duplicates   share of events that re-send an event already answered 202
 * @param late         share of events whose time is 5 minutes to 24 hours back
 * @param tenants      tenants (one API key each); requests spread evenly over them
 * @param subjects     subjects per tenant
 * @param meters       meters per tenant
 * @param brokers      Kafka nodes, 1 or 3
 * @param killBroker   kill one broker during the longest stage and restart it 30 s later
 * @param instances    ingest-api instances (behind HAProxy) and stream-processor instances (one Streams
 *                     application), 1-3, as {@code ./dev up --instances}
 * @param killInstances kill (SIGKILL) one ingest-api and one stream-processor instance during the longest stage;
 *                     they stay down, and the survivors carry the rest of the run
 * @param retries      how many times the generator sends a request again, with the same events, when its
 *                     connection failed or it got 502, 503 or 504 (as the README tells producers); 0 unless given,
 *                     3 with {@code --kill-instances}: a request in flight at the killed edge has no answer, and its
 *                     producer must send it again
 * @param p99Millis    the verdict's latency bound
 * @param drainSeconds the verdict's bound on the time from the last answer to views complete through it
 * @param maxInFlight  requests the generator holds open at most; an arrival beyond them is dropped and counted (as
 *                     k6's dropped iterations), so a system far slower than the rate cannot exhaust the
 *                     generator's file descriptors and heap
 * @param overrides    configuration keys every service of the run's stack gets ({@code --set key=value}, as for
 *                     {@code ./dev up})
 * @param generator    what sends the load: {@code lean} (the project's own open-model generator, the default) or
 *                     {@code gatling}
 * @param aotCache     the brokers' and services' JVMs start from ahead-of-time caches trained by earlier runs (and
 *                     train them when there are none; {@code --aot-cache on}, the default), or cold ({@code off})
 * @param properties   events carry properties ({@code --properties}; dev.meterstream.loadtest.open.LoadEvents)
 * @param definedMeters the meters defined per event type and tenant before the load, by kind
 *                     ({@link LoadEvents#KINDS}); the exactness check covers them. {@code --define-meters} defines
 *                     all three, {@code --define-only tokens,users} some (both imply {@code --properties}); none by
 *                     default
 */
public record LoadProfile(List<Stage> stages, int batch, double duplicates, double late, int tenants, int subjects,
                          int meters, int brokers, boolean killBroker, int instances, boolean killInstances,
                          int retries, long p99Millis, long drainSeconds,
                          int maxInFlight, ConfigOverrides overrides, String generator,
                          boolean aotCache, boolean properties, Set<String> definedMeters) {

    /** How long a broker stays down in the fault stage. */
    public static final Duration BROKER_DOWN = Duration.ofSeconds(30);

    /** One stage: reach {@code target} requests per second, linearly, over {@code duration}. */
    public record Stage(Duration duration, double target) {
    }

    public LoadProfile {
        stages = List.copyOf(stages);
        for (final String kind : definedMeters) {
            if (!LoadEvents.KINDS.contains(kind)) {
                throw new IllegalArgumentException("--define-only takes some of " + String.join(",", LoadEvents.KINDS)
                        + ", was " + kind);
            }
        }
        definedMeters = Collections.unmodifiableSet(new LinkedHashSet<>(definedMeters));
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("--stages needs at least one duration:rate pair");
        }
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("--batch must be 1-1000 (ingest-api's max-batch-events), was " + batch);
        }
        if (duplicates < 0 || duplicates >= 1 || late < 0 || late > 1) {
            throw new IllegalArgumentException("--duplicates must be in [0, 1) and --late in [0, 1]");
        }
        if (tenants < 1 || subjects < 1 || meters < 1) {
            throw new IllegalArgumentException("--tenants, --subjects and --meters must be at least 1");
        }
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("--brokers must be 1 or 3, was " + brokers);
        }
        if (maxInFlight < 1 || maxInFlight > 15_000) {
            throw new IllegalArgumentException("--max-in-flight must be 1-15000 (each is a file descriptor), was "
                    + maxInFlight);
        }
        if (!generator.equals("lean") && !generator.equals("gatling")) {
            throw new IllegalArgumentException("--generator must be lean or gatling, was " + generator);
        }
        if (killBroker && brokers != 3) {
            throw new IllegalArgumentException("--kill-broker needs --brokers 3 (with one broker, nothing is left)");
        }
        if (instances < 1 || instances > 3) {
            throw new IllegalArgumentException("--instances must be 1-3, was " + instances);
        }
        if (killInstances && instances < 2) {
            throw new IllegalArgumentException("--kill-instances needs --instances 2 or 3 (with one, nothing is left)");
        }
        if (killInstances && killBroker) {
            throw new IllegalArgumentException("--kill-instances and --kill-broker: one fault stage per run");
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("--retries must be 0-10, was " + retries);
        }
        if (retries > 0 && !generator.equals("lean")) {
            throw new IllegalArgumentException("--retries needs the lean generator (--generator lean)");
        }
    }

    public static LoadProfile parse(final List<String> args) {
        String stages = "30s:16667,3m:16667,30s:0";
        int batch = 1;
        double duplicates = 0.05;
        double late = 0.01;
        int tenants = 10;
        int subjects = 1_000;
        int meters = 5;
        int brokers = 3;
        boolean killBroker = false;
        int instances = 1;
        boolean killInstances = false;
        Integer retries = null;
        long p99 = 50;
        long drain = 60;
        int maxInFlight = 5_000;
        ConfigOverrides overrides = ConfigOverrides.NONE;
        String generator = "lean";
        boolean aotCache = true;
        boolean properties = false;
        Set<String> definedMeters = Set.of();
        for (int i = 0; i < args.size(); i++) {
            final String option = args.get(i);
            if (option.equals("--kill-broker")) {
                killBroker = true;
                continue;
            }
            if (option.equals("--kill-instances")) {
                killInstances = true;
                continue;
            }
            if (option.equals("--properties")) {
                properties = true;
                continue;
            }
            if (option.equals("--define-meters")) {
                // Defined meters read the events' properties.
                properties = true;
                definedMeters = new LinkedHashSet<>(LoadEvents.KINDS);
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            final String value = args.get(++i);
            switch (option) {
                case "--stages" -> stages = value;
                case "--batch" -> batch = Integer.parseInt(value);
                case "--duplicates" -> duplicates = Double.parseDouble(value);
                case "--late" -> late = Double.parseDouble(value);
                case "--tenants" -> tenants = Integer.parseInt(value);
                case "--subjects" -> subjects = Integer.parseInt(value);
                case "--meters" -> meters = Integer.parseInt(value);
                case "--brokers" -> brokers = Integer.parseInt(value);
                case "--instances" -> instances = Integer.parseInt(value);
                case "--retries" -> retries = Integer.parseInt(value);
                case "--p99-ms" -> p99 = Long.parseLong(value);
                case "--drain-seconds" -> drain = Long.parseLong(value);
                case "--max-in-flight" -> maxInFlight = Integer.parseInt(value);
                case "--set" -> overrides = overrides.with(value);
                case "--generator" -> generator = value;
                case "--define-only" -> {
                    properties = true;
                    definedMeters = new LinkedHashSet<>(List.of(value.split(",")));
                }
                case "--aot-cache" -> aotCache = switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--aot-cache must be on or off, was " + value);
                };
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new LoadProfile(stages(stages), batch, duplicates, late, tenants, subjects, meters, brokers,
                killBroker, instances, killInstances, retries != null ? retries : killInstances ? 3 : 0, p99, drain,
                maxInFlight, overrides, generator, aotCache, properties,
                definedMeters);
    }

    /** {@code 30s:5000,3m:17000,30s:0}; durations in s, m or h. */
    static List<Stage> stages(final String text) {
        final List<Stage> stages = new ArrayList<>();
        for (final String stage : text.split(",")) {
            final String[] parts = stage.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a stage is duration:rate, such as 3m:17000; was " + stage);
            }
            final double target = Double.parseDouble(parts[1]);
            if (target < 0) {
                throw new IllegalArgumentException("a stage's rate cannot be negative: " + stage);
            }
            stages.add(new Stage(duration(parts[0]), target));
        }
        return stages;
    }

    private static Duration duration(final String text) {
        final String value = text.trim();
        final long amount = Long.parseLong(value.substring(0, value.length() - 1));
        final Duration duration = switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("a duration ends in s, m or h, such as 30s; was " + text);
        };
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("a stage's duration must be positive: " + text);
        }
        return duration;
    }

    /** The stages as the generators read them: {@code seconds:rate,...}. */
    public String generatorStages() {
        final StringJoiner joined = new StringJoiner(",");
        stages.forEach(stage -> joined.add(stage.duration().toSeconds() + ":" + stage.target()));
        return joined.toString();
    }

    /** {@code 30s:16667,3m:16667,30s:0}, as the user writes it. */
    public String describeStages() {
        final StringJoiner joined = new StringJoiner(",");
        stages.forEach(stage -> joined.add(stage.duration().toSeconds() + "s:" + Math.round(stage.target())));
        return joined.toString();
    }

    public Duration length() {
        return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The offered rate (requests per second) {@code offset} into the run. */
    public double rateAt(final Duration offset) {
        double previous = 0;
        Duration start = Duration.ZERO;
        for (final Stage stage : stages) {
            final Duration end = start.plus(stage.duration());
            if (offset.compareTo(end) < 0) {
                final double into = (offset.toMillis() - start.toMillis()) / (double) stage.duration().toMillis();
                return previous + (stage.target() - previous) * Math.max(0, into);
            }
            previous = stage.target();
            start = end;
        }
        return 0;
    }

    /** Requests the whole run offers. */
    public double requests() {
        double previous = 0;
        double total = 0;
        for (final Stage stage : stages) {
            total += (previous + stage.target()) / 2 * stage.duration().toSeconds();
            previous = stage.target();
        }
        return total;
    }

    /** When the fault stage kills (a broker, or instances): a third into the longest stage (the hold, usually). */
    public Duration killAt() {
        Duration start = Duration.ZERO;
        Duration killAt = Duration.ZERO;
        Duration longest = Duration.ZERO;
        for (final Stage stage : stages) {
            if (stage.duration().compareTo(longest) > 0) {
                longest = stage.duration();
                killAt = start.plus(stage.duration().dividedBy(3));
            }
            start = start.plus(stage.duration());
        }
        return killAt;
    }

    /** Whether the run defines meters at all. */
    public boolean defineMeters() {
        return !definedMeters.isEmpty();
    }

    public String describe() {
        return String.format("stages %s (about %.0f requests), %s, %.0f%% re-sends, %.0f%% late, %d tenants x %d "
                        + "subjects x %d meters, %d broker%s%s", describeStages(), requests(),
                batch == 1 ? "single-event POSTs" : "batches of " + batch + " events", duplicates * 100, late * 100,
                tenants, subjects, meters, brokers, brokers == 1 ? "" : "s",
                killBroker ? ", one broker killed at " + killAt().toSeconds() + " s and restarted "
                        + BROKER_DOWN.toSeconds() + " s later" : "")
                + (instances == 1 ? "" : ", " + instances + " instances of ingest-api (behind HAProxy) and of "
                        + "stream-processor")
                + (killInstances ? ", one of each killed at " + killAt().toSeconds() + " s and left down" : "")
                + (retries == 0 ? "" : ", failed requests sent again up to " + retries + " times")
                + (overrides.values().isEmpty() ? "" : ", with " + overrides.values())
                + (generator.equals("lean") ? "" : ", sent by " + generator)
                + (aotCache ? "" : ", every JVM cold (--aot-cache off)")
                + (defineMeters() ? ", " + definedMeters.size() + " meter" + (definedMeters.size() == 1 ? "" : "s")
                        + " defined per event type (" + String.join(", ", definedMeters) + ")"
                        : properties ? ", events with properties (--properties)" : "");
    }
}
