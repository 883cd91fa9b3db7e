package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.SumRank;
import dev.meterstream.event.WindowTotals;
import dev.meterstream.schema.Views;
import dev.meterstream.schema.Views.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Reads aggregates: a subject's series, the top subjects of a range, a tenant's meters. */
final class UsageQueries {
    /** One window of a series. */
    record Point(Instant windowStart, long count, BigDecimal sum, BigDecimal min, BigDecimal max) {
        WindowTotals totals() {
            return new WindowTotals(count, sum, min, max);
        }
    }

    /** A subject's total over a range. */
    record Ranked(String subject, BigDecimal sum, long count) {
    }

    private static final Comparator<Ranked> HIGHEST_FIRST = Comparator.comparing(Ranked::sum).reversed()
            .thenComparing(Ranked::subject);

    private final int topPageSize;
    private final PreparedStatement series;
    private final PreparedStatement topPage;
    private final PreparedStatement topSameSumAfter;
    private final PreparedStatement topBelow;
    private final PreparedStatement meters;
    private final PreparedStatement shards;

    UsageQueries(final CqlSession session, final String keyspace, final int topPageSize) {
        this.topPageSize = topPageSize;
        // Columns read by position below: the window's start, then the totals in Views' order.
        final List<String> windowTotals = new ArrayList<>(List.of(Column.WINDOW_START));
        windowTotals.addAll(Views.TOTALS);
        final String windowsFromTo = " AND " + Column.WINDOW_START + " >= ? AND " + Column.WINDOW_START + " < ?";
        // One window size of a month's partition: the size is the first clustering column.
        series = session.prepare(Views.AGGREGATES_BY_SUBJECT_MONTH.select(keyspace, windowTotals) + " WHERE "
                + Views.equal(Views.AGGREGATES_BY_SUBJECT_MONTH.partitionKey()) + " AND " + Column.WINDOW_SIZE
                + " = ?" + windowsFromTo);
        final String top = Views.TOP_SUBJECTS.select(keyspace, List.of(Column.RANK, Column.SUBJECT, Column.COUNT))
                + " WHERE " + Views.equal(Views.TOP_SUBJECTS.partitionKey());
        topPage = session.prepare(top + " LIMIT ?");
        // The list is ordered by rank (sum) descending, then subject: what follows (s, x) is the rest of sum s after
        // x, then the sums below s. (A tuple relation would compare values, not that order.)
        topSameSumAfter = session.prepare(top + " AND " + Column.RANK + " = ? AND " + Column.SUBJECT
                + " > ? LIMIT ?");
        topBelow = session.prepare(top + " AND " + Column.RANK + " < ? LIMIT ?");
        shards = session.prepare(Views.AGGREGATES_BY_SHARD.select(keyspace, windowTotals) + " WHERE "
                + Views.equal(Views.AGGREGATES_BY_SHARD.partitionKey()) + windowsFromTo);
        meters = session.prepare(Views.METERS_BY_TENANT.select(keyspace, List.of(Column.METER)) + " WHERE "
                + Views.equal(Views.METERS_BY_TENANT.partitionKey()));
    }

    /** A subject's windows starting in [from, to), in order; windows without usage are absent. */
    List<Point> series(final ViewReads reads, final String tenant, final String meter, final String subject, final WindowSize size,
                       final Instant from, final Instant to) {
        return seriesAsync(reads, tenant, meter, subject, size, from, to).toCompletableFuture().join();
    }

    /** The same for several subjects, read concurrently; in the order asked. */
    Map<String, List<Point>> series(final ViewReads reads, final String tenant, final String meter, final List<String> subjects,
                                    final WindowSize size, final Instant from, final Instant to) {
        final Map<String, CompletableFuture<List<Point>>> pending = new java.util.LinkedHashMap<>();
        for (final String subject : subjects) {
            pending.put(subject, seriesAsync(reads, tenant, meter, subject, size, from, to).toCompletableFuture());
        }
        final Map<String, List<Point>> result = new java.util.LinkedHashMap<>();
        pending.forEach((subject, points) -> result.put(subject, points.join()));
        return result;
    }

    private CompletionStage<List<Point>> seriesAsync(final ViewReads reads, final String tenant, final String meter, final String subject,
                                                     final WindowSize size, final Instant from, final Instant to) {
        final List<CompletableFuture<List<Point>>> buckets = new ArrayList<>();
        for (final LocalDate month : SeriesBucket.months(from, to)) {
            buckets.add(reads.all(series.bind(tenant, meter, subject, month, size.name(), from, to))
                    .thenApply(rows -> rows.stream().map(row -> new Point(row.getInstant(0), row.getLong(1),
                            row.getBigDecimal(2), row.getBigDecimal(3), row.getBigDecimal(4))).toList())
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(buckets.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            final List<Point> points = new ArrayList<>();
            buckets.forEach(bucket -> points.addAll(bucket.join()));
            return points;
        });
    }

    /**
     * The series of all subjects together: each window's shard totals merged (counts and sums added, the least
     * min, the greatest max). One partition read per bucket, whatever the number of subjects.
     */
    List<Point> allSubjects(final ViewReads reads, final String tenant, final String meter, final WindowSize size, final Instant from,
                            final Instant to) {
        final List<CompletableFuture<List<Row>>> buckets = new ArrayList<>();
        for (final Instant bucket : SeriesBucket.covering(size, from, to)) {
            buckets.add(reads.all(shards.bind(tenant, meter, size.name(), bucket, from, to)).toCompletableFuture());
        }
        final Map<Instant, Point> merged = new java.util.TreeMap<>();
        for (final CompletableFuture<List<Row>> bucket : buckets) {
            for (final Row row : bucket.join()) {
                final Point shard = new Point(row.getInstant(0), row.getLong(1), row.getBigDecimal(2),
                        row.getBigDecimal(3), row.getBigDecimal(4));
                merged.merge(shard.windowStart(), shard, (a, b) -> {
                    final WindowTotals both = a.totals().merge(b.totals());
                    return new Point(a.windowStart(), both.count(), both.sum(), both.min(), both.max());
                });
            }
        }
        return List.copyOf(merged.values());
    }

    /**
     * The {@code limit} subjects with the highest sum over the windows starting in [from, to), exactly. Each window
     * is one partition of {@code top_subjects_by_rank}, read highest first a page at a time (sorted access only).
     * A subject seen has a known part of its total (the windows it was seen in) and an upper bound (plus, for each
     * window not read to its end where it was not seen, the sum at that window's read position); a subject not seen
     * at all is bounded by those positions alone. Reading stops once the {@code limit} best known totals exceed
     * every other bound; only then are the exact totals of those subjects read (for windows they were not seen in
     * yet), so a query costs a page per window per round plus at most {@code limit} reads.
     *
     * <p>A window may hold older, lower rows of a subject that the sink left behind (its sums only grow, so the
     * current row is the highest): a subject counts once per window, at the first row met, and the rest are
     * skipped ({@link Candidate#add}).
     */
    List<Ranked> top(final ViewReads reads, final String tenant, final String meter, final WindowSize size, final Instant from,
                     final Instant to, final int limit) {
        final List<TopList> lists = new ArrayList<>();
        for (Instant window = from; window.isBefore(to); window = window.plus(size.duration())) {
            lists.add(new TopList(window));
        }
        // A page of at least limit rows, so one round suffices when the windows agree on their leaders.
        final int pageSize = Math.max(limit, topPageSize);
        final Map<String, Candidate> seen = new HashMap<>();
        List<Candidate> best;
        while (true) {
            final List<CompletableFuture<List<Row>>> pages = new ArrayList<>();
            for (final TopList list : lists) {
                pages.add(list.exhausted ? CompletableFuture.completedFuture(List.of())
                        : nextPage(reads, tenant, meter, size, list, pageSize));
            }
            boolean allExhausted = true;
            for (int i = 0; i < lists.size(); i++) {
                final TopList list = lists.get(i);
                final List<Row> rows = pages.get(i).join();
                list.exhausted |= rows.size() < pageSize;
                allExhausted &= list.exhausted;
                for (final Row row : rows) {
                    final String subject = row.getString(1);
                    final BigDecimal sum = SumRank.sum(row.getBigInteger(0));
                    list.last = new Ranked(subject, sum, 0);
                    seen.computeIfAbsent(subject, Candidate::new).add(i, sum, row.getLong(2));
                }
            }
            best = seen.values().stream().sorted(Candidate.HIGHEST_KNOWN_FIRST).limit(limit).toList();
            if (allExhausted) {
                break;
            }
            BigDecimal others = unseenBound(lists);
            for (final Candidate candidate : seen.values()) {
                if (!best.contains(candidate)) {
                    others = others.max(candidate.upperBound(lists));
                }
            }
            if (best.size() == limit && best.getLast().known.compareTo(others) > 0) {
                break;
            }
        }
        final Map<String, CompletableFuture<Ranked>> exact = new java.util.LinkedHashMap<>();
        for (final Candidate candidate : best) {
            exact.put(candidate.subject, candidate.seenIn.size() == lists.size()
                    ? CompletableFuture.completedFuture(new Ranked(candidate.subject,
                            candidate.known.stripTrailingZeros(), candidate.count))
                    : seriesAsync(reads, tenant, meter, candidate.subject, size, from, to)
                            .thenApply(points -> total(candidate.subject, points)).toCompletableFuture());
        }
        return exact.values().stream().map(CompletableFuture::join).sorted(HIGHEST_FIRST).toList();
    }

    /** The most a subject seen in no window so far can have: the sums at the read positions of unfinished lists. */
    private static BigDecimal unseenBound(final List<TopList> lists) {
        BigDecimal bound = BigDecimal.ZERO;
        for (final TopList list : lists) {
            if (!list.exhausted && list.last != null) {
                bound = bound.add(list.last.sum());
            }
        }
        return bound;
    }

    private CompletableFuture<List<Row>> nextPage(final ViewReads reads, final String tenant, final String meter, final WindowSize size,
                                                  final TopList list, final int pageSize) {
        if (list.last == null) {
            return reads.all(topPage.bind(tenant, meter, size.name(), list.window, pageSize)).toCompletableFuture();
        }
        final BigInteger rank = SumRank.of(list.last.sum());
        final var sameSum = reads.all(topSameSumAfter.bind(tenant, meter, size.name(), list.window, rank,
                list.last.subject(), pageSize));
        final var below = reads.all(topBelow.bind(tenant, meter, size.name(), list.window, rank, pageSize));
        return sameSum.thenCombine(below, (first, second) -> {
            final List<Row> rows = new ArrayList<>(first);
            rows.addAll(second);
            return rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
        }).toCompletableFuture();
    }

    /** Every meter the tenant has data for, in name order. */
    List<String> meters(final ViewReads reads, final String tenant) {
        return reads.execute(meters.bind(tenant)).all().stream().map(row -> row.getString(0)).toList();
    }

    private static Ranked total(final String subject, final List<Point> points) {
        BigDecimal sum = BigDecimal.ZERO;
        long count = 0;
        for (final Point point : points) {
            sum = sum.add(point.sum());
            count += point.count();
        }
        return new Ranked(subject, sum.stripTrailingZeros(), count);
    }

    /** A subject met in the rankings: the part of its total known so far, and where it was met. */
    private static final class Candidate {
        static final Comparator<Candidate> HIGHEST_KNOWN_FIRST = Comparator.comparing((Candidate c) -> c.known)
                .reversed().thenComparing(c -> c.subject);

        private final String subject;
        private final java.util.Set<Integer> seenIn = new java.util.HashSet<>();
        private BigDecimal known = BigDecimal.ZERO;
        private long count;

        Candidate(final String subject) {
            this.subject = subject;
        }

        /** Counts the subject's row of a window once: the first met is its highest, any later one is older. */
        void add(final int list, final BigDecimal sum, final long rows) {
            if (seenIn.add(list)) {
                known = known.add(sum);
                count += rows;
            }
        }

        /** The most its total can be: what is known plus the read positions of unfinished lists it is not in. */
        BigDecimal upperBound(final List<TopList> lists) {
            BigDecimal bound = known;
            for (int i = 0; i < lists.size(); i++) {
                final TopList list = lists.get(i);
                if (!seenIn.contains(i) && !list.exhausted && list.last != null) {
                    bound = bound.add(list.last.sum());
                }
            }
            return bound;
        }
    }

    /** One window's list in top_subjects_by_rank and how far it has been read. */
    private static final class TopList {
        private final Instant window;
        private Ranked last;
        private boolean exhausted;

        TopList(final Instant window) {
            this.window = window;
        }
    }
}
