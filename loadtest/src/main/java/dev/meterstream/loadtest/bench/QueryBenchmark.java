package dev.meterstream.loadtest.bench;

import dev.meterstream.loadtest.measure.CpuSampler;
import dev.meterstream.loadtest.measure.GatlingProcess;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.infra.cassandra.CassandraNode;
import dev.meterstream.infra.cassandra.CassandraSettings;
import dev.meterstream.infra.cassandra.TableSizes;
import dev.meterstream.infra.process.Await;
import dev.meterstream.infra.kafka.KafkaCluster;
import dev.meterstream.infra.kafka.KafkaSettings;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import dev.meterstream.infra.process.Ports;
import dev.meterstream.support.cassandra.CqlSchema;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.SumRank;
import dev.meterstream.schema.Views;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The query-api benchmark of docs/benchmarks.md: one Cassandra node (full JIT) loaded with 30 days of hourly
 * aggregates (and their daily totals and rankings) for N subjects of one meter, with usage skewed across subjects
 * (subject i's scale is proportional to 1/(i+1)^0.8, as a few customers dominate real usage); then query-api, then
 * Gatling (open model, its own JVM) asking half usage series and half top subjects at a fixed rate. Everything it
 * starts it stops. Run it with {@code loadtest/bench-query [rate] [subjects] [hold-seconds] [mix:rate,...]}.
 */
public final class QueryBenchmark {
    private static final String KEYSPACE = "bench_query";
    private static final String TENANT = "bench";
    private static final String METER = "bench";
    private static final int DAYS = 30;

    private QueryBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        final int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int hold = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        // Several "mix:rate" runs on the same data, e.g. usage:500,top:100,both:1000 (default both:<rate>).
        final List<String> runs = args.length > 3 ? List.of(args[3].split(",")) : List.of("both:" + rate);
        final Path workDir = Files.createDirectories(root.resolve("loadtest/target/bench-query-"
                + System.currentTimeMillis()));
        final Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(DAYS));
        final StringBuilder report = new StringBuilder();
        line(report, "query-api benchmark, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + Runtime.version() + ": " + DAYS + " days of hourly data for " + subjects
                + " subjects of one meter from " + from + "; 1 Cassandra node (1 GiB heap, full JIT); Gatling open "
                + "model at " + rate + " requests/s (each run its mix: usage, top, both halves or id) for " + hold
                + " s after a 20 s ramp; "
                + "work dir " + workDir);
        try (CassandraNode cassandra = CassandraNode.start(CassandraSettings.ephemeral(workDir.resolve("cassandra"))
                .fullSpeed().withJmx().withHeapMegabytes(1024))) {
            try (CqlSession session = cassandra.openSession()) {
                CqlSchema.apply(session, CqlSchema.Keyspace.local(KEYSPACE));
                final long started = System.nanoTime();
                final long rows = load(session, subjects, from);
                final double seconds = (System.nanoTime() - started) / 1e9;
                line(report, String.format("loaded %d rows in %.1f s (%.0f rows/s, UNLOGGED batches of up to 100 "
                        + "rows of one partition, 128 in flight)", rows, seconds, rows / seconds));
                // Read from SSTables, as most of a running ring's rows are, not from the memtables alone.
                line(report, "flushed: bytes on disk per table " + TableSizes.flushAndRead(cassandra, KEYSPACE,
                        List.of(Views.EVENTS_BY_SUBJECT_DAY.name(), Views.AGGREGATES_BY_SUBJECT_MONTH.name(),
                                Views.TOP_SUBJECTS.name())));
            }
            final String key = ApiKeys.generateKey();
            final Path keys = workDir.resolve("query-keys");
            Files.writeString(keys, ApiKeys.sha256(key) + " " + TENANT + "\n");
            final int port = Ports.free(1).getFirst();
            // query-api reads the meter definitions topic at start, so it needs a broker, though this reads none.
            try (KafkaCluster kafka = KafkaCluster.start(KafkaSettings.ephemeral(1, workDir.resolve("kafka")));
                 JavaProcess query = JavaProcess.builder("bench-query-api")
                    .classpath(ModuleClasspath.of(root, "query-api"))
                    .jvmArgs("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-Dserver.port=" + port,
                            "-Dcassandra.contact-point=127.0.0.1:" + cassandra.contactPoint().getPort(),
                            "-Dcassandra.keyspace=" + KEYSPACE, "-Dauth.keys-file=" + keys,
                            "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers())
                    .mainClass("dev.meterstream.query.Main")
                    .logFile(workDir.resolve("query-api.log"))
                    .start()) {
                final HttpClient http = HttpClient.newHttpClient();
                Await.until("query-api to be ready", Duration.ofSeconds(60), () -> http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2);
                for (int index = 0; index < runs.size(); index++) {
                    final String run = runs.get(index);
                    final String mix = run.split(":")[0];
                    final int runRate = Integer.parseInt(run.split(":")[1]);
                    line(report, "run " + mix + " at " + runRate + " requests/s:");
                    // A log of its own per run: a mix and rate asked twice would otherwise report the first run again.
                    gatling(root, workDir, report, query, cassandra, port, key, subjects, from, mix, runRate, hold,
                            index + 1);
                }
            }
        }
        System.out.println("\n" + report);
        Files.writeString(workDir.resolve("report.md"), report);
    }

    private static void gatling(final Path root, final Path workDir, final StringBuilder report,
                                final JavaProcess query, final CassandraNode cassandra, final int port,
                                final String key, final int subjects, final Instant from, final String mix,
                                final int rate, final int hold, final int number) throws Exception {
        final Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("query.url", "http://127.0.0.1:" + port);
        properties.put("query.key", key);
        properties.put("query.meter", METER);
        properties.put("query.subjects", Integer.toString(subjects));
        properties.put("query.from", from.toString());
        properties.put("query.days", Integer.toString(DAYS));
        properties.put("query.rate", Integer.toString(rate));
        properties.put("query.mix", mix);
        properties.put("query.hold-seconds", Integer.toString(hold));
        properties.put("query.ramp-seconds", "20");
        final JavaProcess gatling = GatlingProcess.start(root, "bench-query-gatling", "QuerySimulation", 512,
                properties, workDir.resolve("gatling"), workDir.resolve("gatling-" + number + "-" + mix + "-" + rate
                        + ".log"));
        try (gatling) {
            final CpuSampler cpu = new CpuSampler(Map.of("query-api", query.pid(),
                    "cassandra", cassandra.process().pid(), "gatling", gatling.pid()));
            cpu.start();
            final int exit = gatling.awaitExit(Duration.ofSeconds(hold + 300));
            line(report, "  Gatling exited " + exit + " (0: no request failed); CPU (100% = 1 core): "
                    + CpuSampler.describe(cpu.stop()));
        }
        boolean global = false;
        for (final String text : Files.readAllLines(gatling.logFile())) {
            global |= text.contains("Global Information");
            if (global && text.startsWith("> ") && !text.contains("OK: ") && !text.contains("KO ")) {
                line(report, "  " + text.substring(2).replaceAll("\\s+\\|", " |").trim());
            }
            if (text.contains("index.html")) {
                line(report, "  " + text.trim());
            }
        }
    }

    /**
     * Hourly and daily aggregates, and daily rankings, for every subject, and one event a day (for lookups by id,
     * {@code event-<subject>-<day>}); returns the rows written.
     */
    private static long load(final CqlSession session, final int subjects, final Instant from) {
        final PreparedStatement event = session.prepare(Views.EVENTS_BY_SUBJECT_DAY.insert(KEYSPACE,
                Views.EVENTS_BY_SUBJECT_DAY.columns()));
        final PreparedStatement aggregate = session.prepare(Views.AGGREGATES_BY_SUBJECT_MONTH.insert(KEYSPACE,
                Views.AGGREGATES_BY_SUBJECT_MONTH.columns()));
        final PreparedStatement top = session.prepare(Views.TOP_SUBJECTS.insert(KEYSPACE, Views.TOP_SUBJECTS.columns()));
        session.execute(Views.METERS_BY_TENANT.insert(KEYSPACE, Views.METERS_BY_TENANT.columns()), TENANT, METER);
        session.execute(Views.VIEW_PROGRESS.insert(KEYSPACE, Views.VIEW_PROGRESS.columns()), Views.USAGE_PROGRESS,
                Instant.now(), Instant.now());
        final Loader loader = new Loader(session);
        final Random random = new Random(3);
        final List<List<BoundStatement>> daily = new ArrayList<>();
        for (int day = 0; day < DAYS; day++) {
            daily.add(new ArrayList<>());
        }
        for (int s = 0; s < subjects; s++) {
            final String subject = "subject-" + s;
            final double scale = 1000 / Math.pow(s + 1, 0.8);
            final List<BoundStatement> partition = new ArrayList<>();
            LocalDate month = null;
            for (int day = 0; day < DAYS; day++) {
                final Instant dayStart = from.plus(Duration.ofDays(day));
                final Instant time = dayStart.plus(Duration.ofHours(1));
                final String id = "event-" + s + "-" + day;
                loader.single(event.bind(TENANT, subject, SeriesBucket.day(time), time, id, ByteBuffer.wrap(
                        UsageEventBytes.write(new SequencedEvent(new UsageEvent(TENANT, id, subject, METER, 1, time,
                                Map.of(), time), 0, (long) s * DAYS + day)))));
                // A month's hours and days are one partition, sent in batches.
                final LocalDate dayMonth = SeriesBucket.month(dayStart);
                if (!dayMonth.equals(month)) {
                    loader.batched(partition);
                    partition.clear();
                    month = dayMonth;
                }
                BigDecimal daySum = BigDecimal.ZERO;
                long dayCount = 0;
                double dayMin = Double.MAX_VALUE;
                double dayMax = 0;
                for (int hour = 0; hour < 24; hour++) {
                    final Instant start = dayStart.plus(Duration.ofHours(hour));
                    final long count = 1 + random.nextInt(5);
                    final double min = round(scale * (0.2 + random.nextDouble() * 0.3));
                    final double max = round(scale * (1.0 + random.nextDouble()));
                    final BigDecimal sum = BigDecimal.valueOf(count == 1 ? max : min + max + (count - 2) * round(
                            (min + max) / 2)).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
                    partition.add(aggregate.bind(TENANT, METER, subject, month, "HOUR", start, count, sum,
                            BigDecimal.valueOf(min), BigDecimal.valueOf(max)));
                    daySum = daySum.add(sum);
                    dayCount += count;
                    dayMin = Math.min(dayMin, min);
                    dayMax = Math.max(dayMax, max);
                }
                partition.add(aggregate.bind(TENANT, METER, subject, month, "DAY", dayStart, dayCount, daySum,
                        BigDecimal.valueOf(dayMin), BigDecimal.valueOf(dayMax)));
                daily.get(day).add(top.bind(TENANT, METER, "DAY", dayStart, SumRank.of(daySum), subject, dayCount));
                if (daily.get(day).size() == 100) {
                    loader.batched(daily.get(day));
                    daily.get(day).clear();
                }
            }
            loader.batched(partition);
        }
        daily.forEach(loader::batched);
        return loader.finish();
    }

    /** Writes asynchronously, at most 128 requests in flight; batches hold rows of one partition only. */
    private static final class Loader {
        private final CqlSession session;
        private final Semaphore inFlight = new Semaphore(128);
        private final List<CompletableFuture<?>> pending = new ArrayList<>();
        private long rows;

        Loader(final CqlSession session) {
            this.session = session;
        }

        void batched(final List<BoundStatement> partition) {
            for (int from = 0; from < partition.size(); from += 100) {
                final List<BoundStatement> chunk = List.copyOf(partition.subList(from,
                        Math.min(partition.size(), from + 100)));
                send(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(chunk), chunk.size());
            }
        }

        void single(final BoundStatement statement) {
            send(statement, 1);
        }

        private void send(final Statement<?> statement, final int count) {
            inFlight.acquireUninterruptibly();
            rows += count;
            final CompletableFuture<?> done = session.executeAsync(statement).toCompletableFuture()
                    .whenComplete((result, error) -> inFlight.release());
            pending.add(done);
            if (pending.size() > 10_000) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }

        long finish() {
            pending.forEach(CompletableFuture::join);
            return rows;
        }
    }

    private static double round(final double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void line(final StringBuilder report, final String text) {
        System.out.println(text);
        report.append("- ").append(text).append('\n');
    }
}
