package dev.meterstream.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.WindowSize;
import dev.meterstream.schema.SeriesBucket;
import java.math.BigDecimal;
import java.time.Instant;
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
    record Point(Instant windowStart, long count, BigDecimal sum, double min, double max) {
    }

    /** A subject's total over a range. */
    record Ranked(String subject, BigDecimal sum, long count) {
    }

    private static final Comparator<Ranked> HIGHEST_FIRST = Comparator.comparing(Ranked::sum).reversed()
            .thenComparing(Ranked::subject);

    private final CqlSession session;
    private final int topPageSize;
    private final PreparedStatement series;
    private final PreparedStatement topPage;
    private final PreparedStatement topSameSumAfter;
    private final PreparedStatement topBelow;
    private final PreparedStatement meters;
    private final PreparedStatement shards;

    UsageQueries(final CqlSession session, final String keyspace, final int topPageSize) {
        this.session = session;
        this.topPageSize = topPageSize;
        series = session.prepare("SELECT window_start, count, sum, min, max FROM " + keyspace
                + ".aggregates_by_subject WHERE tenant = ? AND meter = ? AND subject = ? AND window_size = ? "
                + "AND bucket = ? AND window_start >= ? AND window_start < ?");
        final String top = "SELECT sum, subject FROM " + keyspace + ".top_subjects WHERE tenant = ? AND meter = ? "
                + "AND window_size = ? AND window_start = ?";
        topPage = session.prepare(top + " LIMIT ?");
        // The list is ordered by sum descending, then subject: what follows (s, x) is the rest of sum s after x,
        // then the sums below s. (A tuple relation would compare values, not that order.)
        topSameSumAfter = session.prepare(top + " AND sum = ? AND subject > ? LIMIT ?");
        topBelow = session.prepare(top + " AND sum < ? LIMIT ?");
        shards = session.prepare("SELECT window_start, count, sum, min, max FROM " + keyspace
                + ".aggregates_by_shard WHERE tenant = ? AND meter = ? AND window_size = ? AND bucket = ? "
                + "AND window_start >= ? AND window_start < ?");
        meters = session.prepare("SELECT meter FROM " + keyspace + ".meters_by_tenant WHERE tenant = ?");
    }

    /** A subject's windows starting in [from, to), in order; windows without usage are absent. */
    List<Point> series(final String tenant, final String meter, final String subject, final WindowSize size,
                       final Instant from, final Instant to) {
        return seriesAsync(tenant, meter, subject, size, from, to).toCompletableFuture().join();
    }

    /** The same for several subjects, read concurrently; in the order asked. */
    Map<String, List<Point>> series(final String tenant, final String meter, final List<String> subjects,
                                    final WindowSize size, final Instant from, final Instant to) {
        final Map<String, CompletableFuture<List<Point>>> pending = new java.util.LinkedHashMap<>();
        for (final String subject : subjects) {
            pending.put(subject, seriesAsync(tenant, meter, subject, size, from, to).toCompletableFuture());
        }
        final Map<String, List<Point>> result = new java.util.LinkedHashMap<>();
        pending.forEach((subject, points) -> result.put(subject, points.join()));
        return result;
    }

    private CompletionStage<List<Point>> seriesAsync(final String tenant, final String meter, final String subject,
                                                     final WindowSize size, final Instant from, final Instant to) {
        final List<CompletableFuture<List<Point>>> buckets = new ArrayList<>();
        for (final Instant bucket : SeriesBucket.covering(size, from, to)) {
            buckets.add(all(session.executeAsync(series.bind(tenant, meter, subject, size.name(), bucket, from, to)))
                    .thenApply(rows -> rows.stream().map(row -> new Point(row.getInstant(0), row.getLong(1),
                            row.getBigDecimal(2), row.getDouble(3), row.getDouble(4))).toList())
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
    List<Point> allSubjects(final String tenant, final String meter, final WindowSize size, final Instant from,
                            final Instant to) {
        final List<CompletableFuture<List<Row>>> buckets = new ArrayList<>();
        for (final Instant bucket : SeriesBucket.covering(size, from, to)) {
            buckets.add(all(session.executeAsync(shards.bind(tenant, meter, size.name(), bucket, from, to)))
                    .toCompletableFuture());
        }
        final Map<Instant, Point> merged = new java.util.TreeMap<>();
        for (final CompletableFuture<List<Row>> bucket : buckets) {
            for (final Row row : bucket.join()) {
                final Point shard = new Point(row.getInstant(0), row.getLong(1), row.getBigDecimal(2),
                        row.getDouble(3), row.getDouble(4));
                merged.merge(shard.windowStart(), shard, (a, b) -> new Point(a.windowStart(), a.count() + b.count(),
                        a.sum().add(b.sum()), Math.min(a.min(), b.min()), Math.max(a.max(), b.max())));
            }
        }
        return List.copyOf(merged.values());
    }

    /**
     * The {@code limit} subjects with the highest sum over the windows starting in [from, to), exactly. One window
     * is one partition of {@code top_subjects}, read in order. Several are merged with the threshold algorithm:
     * each window's list is read highest first, a page at a time; each subject seen gets its exact total from its
     * series; the sums at the lists' read positions add up to the most any subject not yet seen can have, and the
     * reading stops once {@code limit} subjects are known to have more.
     */
    List<Ranked> top(final String tenant, final String meter, final WindowSize size, final Instant from,
                     final Instant to, final int limit) {
        final List<Instant> windows = new ArrayList<>();
        for (Instant window = from; window.isBefore(to); window = window.plus(size.duration())) {
            windows.add(window);
        }
        // A page of at least limit rows, so one round suffices when the windows agree on their leaders.
        final int pageSize = Math.max(limit, topPageSize);
        final List<TopList> lists = windows.stream().map(TopList::new).toList();
        final Map<String, Ranked> totals = new HashMap<>();
        while (true) {
            final List<CompletableFuture<List<Row>>> pages = new ArrayList<>();
            for (final TopList list : lists) {
                pages.add(list.exhausted ? CompletableFuture.completedFuture(List.of())
                        : nextPage(tenant, meter, size, list, pageSize));
            }
            final Map<String, CompletableFuture<Ranked>> newlySeen = new HashMap<>();
            for (int i = 0; i < lists.size(); i++) {
                final TopList list = lists.get(i);
                final List<Row> rows = pages.get(i).join();
                if (rows.size() < pageSize) {
                    list.exhausted = true;
                }
                for (final Row row : rows) {
                    list.last = new Ranked(row.getString(1), row.getBigDecimal(0), 0);
                    final String subject = row.getString(1);
                    if (!totals.containsKey(subject) && !newlySeen.containsKey(subject)) {
                        newlySeen.put(subject, seriesAsync(tenant, meter, subject, size, from, to)
                                .thenApply(points -> total(subject, points)).toCompletableFuture());
                    }
                }
            }
            newlySeen.forEach((subject, total) -> totals.put(subject, total.join()));
            BigDecimal threshold = BigDecimal.ZERO;
            boolean allExhausted = true;
            for (final TopList list : lists) {
                if (!list.exhausted) {
                    allExhausted = false;
                    threshold = threshold.add(list.last == null ? BigDecimal.ZERO : list.last.sum());
                }
            }
            final List<Ranked> best = totals.values().stream().sorted(HIGHEST_FIRST).limit(limit).toList();
            if (allExhausted || (best.size() == limit && best.getLast().sum().compareTo(threshold) > 0)) {
                return best;
            }
        }
    }

    private CompletableFuture<List<Row>> nextPage(final String tenant, final String meter, final WindowSize size,
                                                  final TopList list, final int pageSize) {
        if (list.last == null) {
            return all(session.executeAsync(topPage.bind(tenant, meter, size.name(), list.window, pageSize)))
                    .toCompletableFuture();
        }
        final var sameSum = all(session.executeAsync(topSameSumAfter.bind(tenant, meter, size.name(), list.window,
                list.last.sum(), list.last.subject(), pageSize)));
        final var below = all(session.executeAsync(topBelow.bind(tenant, meter, size.name(), list.window,
                list.last.sum(), pageSize)));
        return sameSum.thenCombine(below, (first, second) -> {
            final List<Row> rows = new ArrayList<>(first);
            rows.addAll(second);
            return rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
        }).toCompletableFuture();
    }

    /** Every meter the tenant has data for, in name order. */
    List<String> meters(final String tenant) {
        return session.execute(meters.bind(tenant)).all().stream().map(row -> row.getString(0)).toList();
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

    /** All rows of a query, following pages asynchronously. */
    private static CompletionStage<List<Row>> all(final CompletionStage<AsyncResultSet> first) {
        return first.thenCompose(page -> collect(page, new ArrayList<>()));
    }

    private static CompletionStage<List<Row>> collect(final AsyncResultSet page, final List<Row> rows) {
        page.currentPage().forEach(rows::add);
        return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, rows))
                : CompletableFuture.completedFuture(rows);
    }

    /** One window's list in top_subjects and how far it has been read. */
    private static final class TopList {
        private final Instant window;
        private Ranked last;
        private boolean exhausted;

        TopList(final Instant window) {
            this.window = window;
        }
    }
}
