package dev.meterstream.loadtest.run;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.SequencedEvent;
import dev.meterstream.event.UsageEventBytes;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import dev.meterstream.schema.Views.Column;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import dev.meterstream.loadtest.open.LoadEvents;

/**
 * The exactness check of a load run, against Cassandra: every event answered 202 is in the events table, nothing
 * is there that was not sent, no event is there twice, and the aggregates (per subject, and the all-subjects
 * rollups at every window size) add up to exactly the events that are there: count and sum. Re-sends carry the id
 * of an event already accepted, so a re-send that was not dropped would show as a count above the events'.
 * Also checks the partition-scoped ids of the stored events: per log partition, dense from 0.
 */
final class ExactnessCheck {
    private static final int IN_FLIGHT = 64;

    /** What the load generator recorded: the next unused sequence and the sequences answered 202. */
    record Acknowledged(long nextSequence, BitSet sequences) {
        static Acknowledged read(final Path file) throws IOException {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                final long next = in.readLong();
                final long[] words = new long[in.readInt()];
                for (int i = 0; i < words.length; i++) {
                    words[i] = in.readLong();
                }
                return new Acknowledged(next, BitSet.valueOf(words));
            }
        }

        BigDecimal sum() {
            long sum = 0;
            for (int s = sequences.nextSetBit(0); s >= 0; s = sequences.nextSetBit(s + 1)) {
                sum += LoadEvents.quantityOf(s);
            }
            return BigDecimal.valueOf(sum);
        }
    }

    /**
     * The findings.
     *
     * @param acknowledged      distinct events answered 202
     * @param stored            distinct events of the run in the events table
     * @param missing           acknowledged but not stored: lost
     * @param unacknowledged    stored but not answered 202 (an error or no answer, yet written: not a loss)
     * @param foreign           rows with an id this run never sent
     * @param twice             events stored in more than one row
     * @param wrongQuantity     rows whose quantity is not the one sent
     * @param storedSum         sum of the stored events' quantities
     * @param aggregateCounts   per table and window size, the events the aggregates count
     * @param aggregateSums     the same, their sums
     * @param logPartitions     log partitions seen; {@code gappedPartitions} of them not dense from 0
     * @param definedMeters     defined meters checked ({@code --define-meters}; 0 otherwise), and what they got wrong
     */
    record Result(long acknowledged, long stored, long missing, long unacknowledged, long foreign, long twice,
                  long wrongQuantity, BigDecimal acknowledgedSum, BigDecimal storedSum,
                  Map<String, Long> aggregateCounts, Map<String, BigDecimal> aggregateSums, int logPartitions,
                  int gappedPartitions, int definedMeters, List<String> definedMeterFailures) {

        boolean passed() {
            return failures().isEmpty();
        }

        List<String> failures() {
            final List<String> failures = new ArrayList<>();
            if (missing > 0) {
                failures.add(missing + " acknowledged events are not in Cassandra");
            }
            if (foreign > 0 || twice > 0 || wrongQuantity > 0) {
                failures.add(String.format("events table: %d rows never sent, %d events in two rows, %d wrong "
                        + "quantities", foreign, twice, wrongQuantity));
            }
            aggregateCounts.forEach((view, count) -> {
                if (count != stored || aggregateSums.get(view).compareTo(storedSum) != 0) {
                    failures.add(String.format("%s counts %d events summing to %s; the events table holds %d "
                            + "summing to %s", view, count, aggregateSums.get(view).toPlainString(), stored,
                            storedSum.toPlainString()));
                }
            });
            if (gappedPartitions > 0) {
                failures.add(gappedPartitions + " of " + logPartitions + " log partitions have gaps in their ids");
            }
            definedMeterFailures.forEach(failure -> failures.add("defined meter " + failure));
            return failures;
        }
    }

    private final CqlSession session;
    private final String keyspace;
    private final String runId;
    private final List<String> tenants;
    private final int subjects;
    private final int meters;
    private final Set<String> definedMeters;

    /**
     * @param definedMeters the kinds of meters the run defined ({@link LoadEvents#definitions}), to be checked too
     */
    ExactnessCheck(final CqlSession session, final String keyspace, final String runId, final List<String> tenants,
                   final int subjects, final int meters, final Set<String> definedMeters) {
        this.definedMeters = definedMeters;
        this.session = session;
        this.keyspace = keyspace;
        this.runId = runId;
        this.tenants = List.copyOf(tenants);
        this.subjects = subjects;
        this.meters = meters;
    }

    /** Checks the events whose times fall between {@code from} and {@code to}: every event the run sent. */
    Result check(final Acknowledged acknowledged, final Instant from, final Instant to) throws Exception {
        final List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = SeriesBucket.day(from); !day.isAfter(SeriesBucket.day(to)); day = day.plusDays(1)) {
            days.add(day);
        }
        final Events events = new Events(acknowledged.nextSequence());
        final PreparedStatement eventRows = session.prepare(Views.EVENTS_BY_SUBJECT_DAY.select(keyspace,
                List.of(Column.EVENT_ID, Column.EVENT)) + " WHERE "
                + Views.equal(Views.EVENTS_BY_SUBJECT_DAY.partitionKey()));
        final List<Runnable> reads = new ArrayList<>();
        for (final String tenant : tenants) {
            for (int s = 0; s < subjects; s++) {
                for (final LocalDate day : days) {
                    final String subject = "subject-" + s;
                    reads.add(() -> session.execute(eventRows.bind(tenant, subject, day))
                            .forEach(row -> events.add(tenant, row)));
                }
            }
        }
        run(reads);

        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, BigDecimal> sums = new TreeMap<>();
        final PreparedStatement bySubject = session.prepare(Views.AGGREGATES_BY_SUBJECT_MONTH.select(keyspace,
                List.of(Column.COUNT, Column.SUM)) + " WHERE " + Views.equal(Views.AGGREGATES_BY_SUBJECT_MONTH
                .partitionKey()) + " AND " + Column.WINDOW_SIZE + " = '" + WindowSize.DAY.name() + "'");
        // The months of the days read above (to is inclusive): their day windows are in those months' partitions.
        final List<LocalDate> months = SeriesBucket.months(from, to.plusNanos(1));
        final PreparedStatement byShard = session.prepare(Views.AGGREGATES_BY_SHARD.select(keyspace,
                List.of(Column.COUNT, Column.SUM)) + " WHERE " + Views.equal(Views.AGGREGATES_BY_SHARD.partitionKey()));
        final List<Runnable> aggregateReads = new ArrayList<>();
        final Totals subjectDays = new Totals();
        final Map<WindowSize, Totals> shards = new TreeMap<>();
        for (final String tenant : tenants) {
            for (int m = 0; m < meters; m++) {
                final String meter = "meter-" + m;
                for (final LocalDate month : months) {
                    for (int s = 0; s < subjects; s++) {
                        final String subject = "subject-" + s;
                        aggregateReads.add(() -> session.execute(bySubject.bind(tenant, meter, subject, month))
                                .forEach(subjectDays));
                    }
                }
                for (final WindowSize size : WindowSize.values()) {
                    final Totals totals = shards.computeIfAbsent(size, key -> new Totals());
                    for (final Instant bucket : SeriesBucket.covering(size, from, to)) {
                        aggregateReads.add(() -> session.execute(byShard.bind(tenant, meter, size.name(), bucket))
                                .forEach(totals));
                    }
                }
            }
        }
        run(aggregateReads);
        counts.put("aggregates_by_subject_month (DAY)", subjectDays.count);
        sums.put("aggregates_by_subject_month (DAY)", subjectDays.sum);
        shards.forEach((size, totals) -> {
            counts.put("aggregates_by_shard (" + size + ")", totals.count);
            sums.put("aggregates_by_shard (" + size + ")", totals.sum);
        });

        final BitSet missing = (BitSet) acknowledged.sequences().clone();
        missing.andNot(events.stored);
        final BitSet unacknowledged = (BitSet) events.stored.clone();
        unacknowledged.andNot(acknowledged.sequences());
        int gapped = 0;
        for (final BitSet ids : events.logIds.values()) {
            gapped += ids.cardinality() == ids.length() ? 0 : 1;
        }
        final List<String> definedFailures = definedMeters.isEmpty() ? List.of()
                : new DefinedMetersCheck(session, keyspace, definedMeters).check(events.byType, from, to);
        return new Result(acknowledged.sequences().cardinality(), events.stored.cardinality(), missing.cardinality(),
                unacknowledged.cardinality(), events.foreign, events.twice, events.wrongQuantity,
                acknowledged.sum(), BigDecimal.valueOf(events.sum), counts, sums, events.logIds.size(), gapped,
                events.byType.size() * definedMeters.size(), definedFailures);
    }

    /** Runs the reads, at most {@link #IN_FLIGHT} at a time, and rethrows the first failure. */
    private static void run(final List<Runnable> reads) throws Exception {
        final Semaphore slots = new Semaphore(IN_FLIGHT);
        final List<Future<?>> done = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (final Runnable read : reads) {
                slots.acquire();
                done.add(executor.submit(() -> {
                    try {
                        read.run();
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (final Future<?> future : done) {
            future.get();
        }
    }

    /** The run's stored events, gathered from many reads at once. */
    private final class Events {
        private final long nextSequence;
        private final BitSet stored = new BitSet();
        private final Map<Integer, BitSet> logIds = new TreeMap<>();
        private long foreign;
        private long twice;
        private long wrongQuantity;
        private long sum;
        /** Per tenant|event type, what defined meters must hold. */
        private final Map<String, DefinedMetersCheck.Expected> byType = new java.util.concurrent.ConcurrentHashMap<>();

        Events(final long nextSequence) {
            this.nextSequence = nextSequence;
        }

        synchronized void add(final String tenant, final Row row) {
            final String id = row.getString("event_id");
            final String prefix = runId + "-";
            final long sequence = id.startsWith(prefix) ? parse(id.substring(prefix.length())) : -1;
            if (sequence < 0 || sequence >= nextSequence) {
                foreign++;
                return;
            }
            if (stored.get((int) sequence)) {
                twice++;
                return;
            }
            stored.set((int) sequence);
            // A row without its event (stored before V010, not rebuilt) counts as a wrong quantity, not as missing.
            final ByteBuffer blob = row.getByteBuffer(Column.EVENT);
            if (blob == null) {
                wrongQuantity++;
                return;
            }
            final SequencedEvent logged = UsageEventBytes.readSequenced(blob);
            final BigDecimal quantity = logged.event().quantity();
            wrongQuantity += quantity.compareTo(BigDecimal.valueOf(LoadEvents.quantityOf(sequence))) == 0 ? 0 : 1;
            sum += quantity.longValue();
            logIds.computeIfAbsent(logged.partition(), p -> new BitSet()).set(Math.toIntExact(logged.sequence()));
            if (!definedMeters.isEmpty()) {
                byType.computeIfAbsent(tenant + "|" + logged.event().meter(),
                        type -> new DefinedMetersCheck.Expected()).add(sequence, logged.event().timestamp(),
                        ((long) logged.partition() << 48) | logged.sequence());
            }
        }

        private static long parse(final String digits) {
            try {
                return Long.parseLong(digits);
            } catch (final NumberFormatException e) {
                return -1;
            }
        }
    }

    /** Count and sum of aggregate rows, gathered from many reads at once. */
    private static final class Totals implements Consumer<Row> {
        private long count;
        private BigDecimal sum = BigDecimal.ZERO;

        @Override
        public synchronized void accept(final Row row) {
            count += row.getLong("count");
            sum = sum.add(row.getBigDecimal("sum"));
        }
    }
}
