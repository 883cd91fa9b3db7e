package dev.meterstream.query;

import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A defined meter's answer made from its rows: rows the filters leave out are dropped, the rest are grouped by the
 * dimensions asked for (the others merged away) and by window (or the whole range), and each group's states are
 * merged ({@link MeterState#merge}: shards, sources and dropped dimensions hold disjoint events) or its distinct
 * values united. So every aggregation is exact over any grouping, window and range.
 */
final class DefinedUsage {
    /** One point of the answer. */
    record Point(Instant windowStart, Instant windowEnd, String subject, Map<String, String> groupBy,
                 BigDecimal value) {
    }

    private record Key(Instant windowStart, List<String> groupValues) {
    }

    private final Aggregation aggregation;
    private final List<String> groupBy;
    private final Map<String, String> filters;
    private final Instant rangeStart;
    private final Instant rangeEnd;
    private final WindowSize window;
    private final Map<Key, MeterState> states = new LinkedHashMap<>();
    private final Map<Key, Set<String>> distinct = new LinkedHashMap<>();

    /**
     * @param window the window of each point, or null for one point over [from, to); rows of smaller windows are
     *               merged into the one holding them
     */
    DefinedUsage(final Aggregation aggregation, final List<String> groupBy, final Map<String, String> filters,
                 final Instant from, final Instant to, final WindowSize window) {
        this.aggregation = aggregation;
        this.groupBy = List.copyOf(groupBy);
        this.filters = Map.copyOf(filters);
        this.rangeStart = from;
        this.rangeEnd = to;
        this.window = window;
    }

    void add(final DefinedMeterQueries.StateRow row) {
        final Key key = key(row.windowStart(), row.groups());
        if (key != null) {
            states.merge(key, row.state(), (a, b) -> a.merge(aggregation, b));
        }
    }

    void add(final DefinedMeterQueries.DistinctRow row) {
        final Key key = key(row.windowStart(), row.groups());
        if (key != null) {
            distinct.computeIfAbsent(key, ignored -> new TreeSet<>()).add(row.value());
        }
    }

    /** The points, by window, then group (absent dimension values, null, first). */
    List<Point> points(final String subject) {
        final Map<Key, BigDecimal> values = new TreeMap<>(java.util.Comparator.comparing(Key::windowStart)
                .thenComparing(Key::groupValues, DefinedUsage::compareGroups));
        states.forEach((key, state) -> values.put(key, state.value(aggregation)));
        distinct.forEach((key, set) -> values.put(key, BigDecimal.valueOf(set.size())));
        final List<Point> points = new ArrayList<>(values.size());
        values.forEach((key, value) -> {
            final Map<String, String> groups = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.size(); i++) {
                groups.put(groupBy.get(i), key.groupValues().get(i));
            }
            points.add(new Point(key.windowStart(), window == null ? rangeEnd : window.end(key.windowStart()),
                    subject, Collections.unmodifiableMap(groups), value));
        });
        return points;
    }

    /** Where a row goes: null if a filter leaves it out. */
    private Key key(final Instant windowStart, final Map<String, String> groups) {
        for (final Map.Entry<String, String> filter : filters.entrySet()) {
            if (!Objects.equals(groups.get(filter.getKey()), filter.getValue())) {
                return null;
            }
        }
        final List<String> values = new ArrayList<>(groupBy.size());
        for (final String name : groupBy) {
            values.add(groups.get(name));
        }
        return new Key(window == null ? rangeStart : window.start(windowStart), values);
    }

    private static int compareGroups(final List<String> a, final List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            final int compared = java.util.Comparator.<String>nullsFirst(java.util.Comparator.naturalOrder())
                    .compare(a.get(i), b.get(i));
            if (compared != 0) {
                return compared;
            }
        }
        return 0;
    }
}
