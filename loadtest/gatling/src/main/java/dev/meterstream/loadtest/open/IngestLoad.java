package dev.meterstream.loadtest.open;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events of a load run and what became of them. Event {@code n} (its "sequence") has the id
 * {@code <run>-<n>} and the quantity and properties of {@link LoadEvents}, so the run's checker can tell from an id alone whether it
 * was sent and what it must add up to. A share of the events are re-sends of an event already answered 202 (the
 * same JSON, to the same tenant, as a client retrying would), and a share are late (event time 5 minutes to 24 hours
 * back). Every answer is recorded: status, response time and, for a 202, the sequences it acknowledged. An arrival
 * while {@code maxInFlight} requests are open is dropped and counted, not sent (k6's "dropped iterations").
 * Thread-safe: Gatling calls it from several threads. Shared by both generators ({@link OpenLoadMain} and the
 * Gatling simulation).
 */
public final class IngestLoad {
    /** One POST: the tenant whose key it carries, its body, the new events in it and how many re-sends. */
    public record Request(int tenant, String body, long[] newSequences, List<String> newEvents, int resent) {
    }

    private static final int RECENT_PER_TENANT = 4_096;
    private static final long LATE_MIN_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final long LATE_MAX_MILLIS = Duration.ofHours(24).toMillis();

    private final String runId;
    private final int tenants;
    private final int subjects;
    private final int meters;
    private final int batch;
    private final double duplicateShare;
    private final double lateShare;
    private final int maxInFlight;
    private final boolean properties;
    private final AtomicLong nextSequence = new AtomicLong();
    private final String[][] recent;
    private final long[] recentWritten;
    private final BitSet acknowledged = new BitSet();
    private final TreeMap<Long, Second> seconds = new TreeMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final TreeMap<Integer, Long> statuses = new TreeMap<>();
    private long requestsStarted;
    private long requestsCompleted;
    private long requestsDropped;
    private long requestsRetried;
    private int inFlight;
    private long lastAnswerMillis;
    private long eventsNew;
    private long eventsResent;
    private long resentAcknowledged;
    private long eventsLate;

    /** One second of the run, by completion time. */
    private static final class Second {
        long started;
        long completed;
        long eventsAccepted;
        long dropped;
        final TreeMap<Integer, Long> statuses = new TreeMap<>();
        final LatencyHistogram latency = new LatencyHistogram();
    }

    public IngestLoad(final String runId, final int tenants, final int subjects, final int meters, final int batch,
               final double duplicateShare, final double lateShare, final int maxInFlight) {
        this(runId, tenants, subjects, meters, batch, duplicateShare, lateShare, maxInFlight, false);
    }

    /**
     * @param properties whether events carry {@link LoadEvents#propertiesOf properties} (for defined meters)
     */
    public IngestLoad(final String runId, final int tenants, final int subjects, final int meters, final int batch,
               final double duplicateShare, final double lateShare, final int maxInFlight, final boolean properties) {
        this.properties = properties;
        this.runId = runId;
        this.tenants = tenants;
        this.subjects = subjects;
        this.meters = meters;
        this.batch = batch;
        this.duplicateShare = duplicateShare;
        this.lateShare = lateShare;
        this.maxInFlight = maxInFlight;
        this.recent = new String[tenants][RECENT_PER_TENANT];
        this.recentWritten = new long[tenants];
    }

    /** The next request, or null when {@code maxInFlight} are open (the arrival is counted as dropped). */
    public Request next() {
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                requestsDropped++;
                second(System.currentTimeMillis()).dropped++;
                return null;
            }
            inFlight++;
        }
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final int tenant = random.nextInt(tenants);
        final List<String> events = new ArrayList<>(batch);
        final List<String> fresh = new ArrayList<>(batch);
        final long[] sequences = new long[batch];
        int created = 0;
        int resent = 0;
        int late = 0;
        for (int i = 0; i < batch; i++) {
            final String again = random.nextDouble() < duplicateShare ? recentOf(tenant, random) : null;
            if (again != null) {
                events.add(again);
                resent++;
                continue;
            }
            final long sequence = nextSequence.getAndIncrement();
            final boolean isLate = random.nextDouble() < lateShare;
            final Instant time = Instant.now().minusMillis(isLate
                    ? random.nextLong(LATE_MIN_MILLIS, LATE_MAX_MILLIS) : 0);
            final String event = "{\"id\":\"" + runId + "-" + sequence + "\",\"subject\":\"subject-"
                    + random.nextInt(subjects) + "\",\"meter\":\"meter-" + random.nextInt(meters) + "\",\"quantity\":"
                    + LoadEvents.quantityOf(sequence) + ",\"timestamp\":\"" + time + "\""
                    + (properties ? ",\"properties\":" + LoadEvents.propertiesJson(sequence) : "") + "}";
            events.add(event);
            fresh.add(event);
            sequences[created++] = sequence;
            late += isLate ? 1 : 0;
        }
        synchronized (this) {
            requestsStarted++;
            eventsNew += created;
            eventsResent += resent;
            eventsLate += late;
            second(System.currentTimeMillis()).started++;
        }
        final String body = batch == 1 ? events.getFirst() : "[" + String.join(",", events) + "]";
        return new Request(tenant, body, java.util.Arrays.copyOf(sequences, created), fresh, resent);
    }

    /** Records an answer; status and response time are null when there was none (connection failure, timeout). */
    public synchronized void completed(final Request request, final Integer status, final Integer responseMillis) {
        inFlight--;
        lastAnswerMillis = System.currentTimeMillis();
        final Second second = second(lastAnswerMillis);
        second.completed++;
        requestsCompleted++;
        final int code = status == null ? 0 : status;
        statuses.merge(code, 1L, Long::sum);
        second.statuses.merge(code, 1L, Long::sum);
        if (responseMillis != null) {
            latency.record(responseMillis);
            second.latency.record(responseMillis);
        }
        if (code != 202) {
            return;
        }
        for (final long sequence : request.newSequences()) {
            acknowledged.set(Math.toIntExact(sequence));
        }
        second.eventsAccepted += request.newSequences().length + request.resent();
        resentAcknowledged += request.resent();
        for (final String event : request.newEvents()) {
            recent[request.tenant()][(int) (recentWritten[request.tenant()]++ % RECENT_PER_TENANT)] = event;
        }
    }

    /** A request is being sent again, with the same body (the generator's retries). */
    public synchronized void retried() {
        requestsRetried++;
    }

    private synchronized String recentOf(final int tenant, final ThreadLocalRandom random) {
        final long written = recentWritten[tenant];
        return written == 0 ? null : recent[tenant][random.nextInt((int) Math.min(written, RECENT_PER_TENANT))];
    }

    /**
     * One finished second as a line of {@code progress.csv} ({@link #PROGRESS_HEADER}), for the run's console
     * while the load is on; zeros for a second with nothing in it.
     */
    public synchronized String progressLine(final long epochSecond) {
        final Second s = seconds.getOrDefault(epochSecond, new Second());
        return epochSecond + "," + s.started + "," + s.completed + "," + s.eventsAccepted + ","
                + s.latency.percentile(99) + "," + s.dropped;
    }

    /** The columns of {@link #progressLine}. */
    public static final String PROGRESS_HEADER = "second,started,completed,events_accepted,p99_ms,dropped";

    private Second second(final long epochMillis) {
        return seconds.computeIfAbsent(epochMillis / 1000, s -> new Second());
    }

    /**
     * Writes {@code summary.properties} (totals), {@code seconds.csv} (one line a second) and {@code acked.bin}
     * (the next sequence, then the acknowledged sequences as a bit set's words) into the directory.
     */
    public synchronized void write(final Path dir) {
        try {
            Files.createDirectories(dir);
            final StringBuilder summary = new StringBuilder();
            final Map<String, Object> totals = new java.util.LinkedHashMap<>();
            totals.put("run.id", runId);
            totals.put("requests.started", requestsStarted);
            totals.put("requests.completed", requestsCompleted);
            totals.put("requests.dropped", requestsDropped);
            totals.put("requests.max-in-flight", maxInFlight);
            totals.put("requests.retried", requestsRetried);
            statuses.forEach((code, count) -> totals.put("status." + (code == 0 ? "none" : code), count));
            totals.put("events.new", eventsNew);
            totals.put("events.resent", eventsResent);
            totals.put("events.resent.accepted", resentAcknowledged);
            totals.put("events.late", eventsLate);
            totals.put("events.accepted.distinct", acknowledged.cardinality());
            totals.put("sequence.next", nextSequence.get());
            for (final double p : new double[] {50, 90, 99, 99.9}) {
                totals.put("latency.p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)) + ".ms", latency.percentile(p));
            }
            totals.put("latency.max.ms", latency.max());
            totals.put("first.second", seconds.isEmpty() ? 0 : seconds.firstKey());
            totals.put("last.second", seconds.isEmpty() ? 0 : seconds.lastKey());
            totals.put("last.answer.millis", lastAnswerMillis);
            totals.forEach((key, value) -> summary.append(key).append('=').append(value).append('\n'));
            Files.writeString(dir.resolve("summary.properties"), summary);

            final StringBuilder csv = new StringBuilder(
                    "second,started,completed,accepted,events_accepted,statuses,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,dropped\n");
            seconds.forEach((epochSecond, s) -> {
                final StringBuilder codes = new StringBuilder();
                s.statuses.forEach((code, count) -> codes.append(codes.isEmpty() ? "" : " ")
                        .append(code == 0 ? "none" : code).append('=').append(count));
                csv.append(epochSecond).append(',').append(s.started).append(',').append(s.completed).append(',')
                        .append(s.statuses.getOrDefault(202, 0L)).append(',').append(s.eventsAccepted).append(',')
                        .append(codes).append(',').append(s.latency.percentile(50)).append(',')
                        .append(s.latency.percentile(90)).append(',').append(s.latency.percentile(99)).append(',')
                        .append(s.latency.percentile(99.9)).append(',').append(s.latency.max()).append(',')
                        .append(s.dropped).append('\n');
            });
            Files.writeString(dir.resolve("seconds.csv"), csv);

            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(dir.resolve("acked.bin"))))) {
                final long[] words = acknowledged.toLongArray();
                out.writeLong(nextSequence.get());
                out.writeInt(words.length);
                for (final long word : words) {
                    out.writeLong(word);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
