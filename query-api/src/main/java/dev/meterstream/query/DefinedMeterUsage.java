package dev.meterstream.query;

import dev.meterstream.event.WindowSize;
import dev.meterstream.meter.Aggregation;
import dev.meterstream.meter.MeterCoverage;
import dev.meterstream.meter.MeterDefinition;
import dev.meterstream.meter.MeterVersion;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.meter.StoredMeter;
import io.helidon.webserver.http.ServerRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/meters/{slug}/usage} for a defined meter: points of
 * {@code {windowStart, windowEnd, subject (when asked by subject), groupBy, value}}, with {@code window} or one
 * point for the whole range, grouped by any of the meter's dimensions and filtered on them; plus whether the
 * version is still being backfilled, and how far.
 */
final class DefinedMeterUsage {
    private static final int MAX_SUBJECTS = 50;
    private static final List<WindowSize> ALL_WINDOWS = List.of(WindowSize.values());

    private static final Answer.Column<DefinedUsage.Point> WINDOW_START =
            new Answer.Column<>("windowStart", DefinedUsage.Point::windowStart);
    private static final Answer.Column<DefinedUsage.Point> WINDOW_END =
            new Answer.Column<>("windowEnd", DefinedUsage.Point::windowEnd);
    private static final Answer.Column<DefinedUsage.Point> SUBJECT =
            new Answer.Column<>("subject", DefinedUsage.Point::subject);
    private static final Answer.Column<DefinedUsage.Point> GROUP_BY =
            new Answer.Column<>("groupBy", point -> groupsNode(point.groupBy()));
    private static final Answer.Column<DefinedUsage.Point> VALUE =
            new Answer.Column<>("value", DefinedUsage.Point::value);

    private final QuerySettings settings;
    private final DefinedMeterQueries queries;
    private final EventQueries events;
    private final MeterDefinitions definitions;

    DefinedMeterUsage(final QuerySettings settings, final DefinedMeterQueries queries, final EventQueries events,
                      final MeterDefinitions definitions) {
        this.settings = settings;
        this.queries = queries;
        this.events = events;
        this.definitions = definitions;
    }

    Answer<DefinedUsage.Point> answer(final StoredMeter meter, final ServerRequest request, final ViewReads reads) {
        final QueryParams params = new QueryParams(request.query());
        final Instant from = params.instant("from");
        final Instant to = params.instant("to");
        final WindowSize size = params.text("window").isPresent()
                ? params.window("window", WindowSize.HOUR, ALL_WINDOWS) : null;
        final List<String> subjects = params.all("subject");
        if (subjects.size() > MAX_SUBJECTS) {
            params.violation("subject", "at most " + MAX_SUBJECTS + " subjects per answer, asked for "
                    + subjects.size());
        }
        final int version = params.integer("version", meter.version(), 1, meter.version());
        // What the version asked for computed: an earlier one may have had another aggregation or dimensions.
        final MeterDefinition definition = meter.definitionOf(version);
        final List<String> dimensions = List.copyOf(definition.groupBy().keySet());
        final List<String> groupBy = new ArrayList<>();
        for (final String value : params.all("groupBy")) {
            for (final String name : value.split(",", -1)) {
                if (!dimensions.contains(name)) {
                    params.violation("groupBy", "'" + name + "' is not a dimension of meter "
                            + meter.definition().slug() + " (its dimensions: " + dimensions + ")");
                } else if (!groupBy.contains(name)) {
                    groupBy.add(name);
                }
            }
        }
        final Map<String, String> filters = params.bracketed("filter");
        filters.keySet().stream().filter(name -> !dimensions.contains(name)).forEach(name ->
                params.violation("filter[" + name + "]", "'" + name + "' is not a dimension of meter "
                        + meter.definition().slug() + " (its dimensions: " + dimensions + ")"));
        if (size != null) {
            params.windows(from, to, size, settings.maxPoints());
        } else {
            // One point for the range: read in the largest windows that tile it, so at most a day of minutes and
            // of hours at each end, and its days between: those are bounded as a DAY window's points are.
            params.windows(from, to, WindowSize.MINUTE, Integer.MAX_VALUE);
            final Duration longest = WindowSize.DAY.duration().multipliedBy(settings.maxPoints());
            if (from.isBefore(to) && Duration.between(from, to).compareTo(longest) > 0) {
                params.violation("to", "at most " + settings.maxPoints() + " days per answer over the whole range, "
                        + "asked for " + Duration.between(from, to).toDays());
            }
        }
        params.check();

        final MeterVersion read = new MeterVersion(meter.tenant(), meter.definition().slug(), version);
        final Aggregation aggregation = definition.aggregation();
        final Answer<DefinedUsage.Point> answer = Answer.of("points", subjects.isEmpty()
                        ? List.of(WINDOW_START, WINDOW_END, GROUP_BY, VALUE)
                        : List.of(WINDOW_START, WINDOW_END, SUBJECT, GROUP_BY, VALUE))
                .field("meter", meter.definition().slug())
                .field("version", version)
                .field("eventType", definition.eventType())
                .field("aggregation", aggregation.name())
                .field("deleted", meter.deleted() && version == meter.version())
                .field("window", size == null ? null : size.name())
                .field("from", from).field("to", to)
                .field("groupBy", groupBy)
                .field("filter", filters);
        if (!subjects.isEmpty()) {
            answer.field("subjects", subjects);
        }
        // CSV: one column per dimension asked ("groupBy.<name>"), so each group is a flat row.
        final List<Answer.Column<DefinedUsage.Point>> csv = new ArrayList<>(subjects.isEmpty()
                ? List.of(WINDOW_START, WINDOW_END) : List.of(WINDOW_START, WINDOW_END, SUBJECT));
        for (final String name : groupBy) {
            csv.add(new Answer.Column<>("groupBy." + name, point -> point.groupBy().get(name)));
        }
        csv.add(VALUE);
        answer.csvColumns(csv);
        final Map<Integer, MeterCoverage> coverage = backfill(reads, read, answer);
        // One per answer: it bounds the events read for all the subjects asked together.
        final SubjectMinutes subjectMinutes = new SubjectMinutes(events, reads, settings.maxFoldedEvents());
        for (final String subject : subjects.isEmpty() ? Arrays.asList((String) null) : subjects) {
            // A subject's days are stored as its hours: they are read as such and merged into days.
            final List<Tile> tiles = size == null
                    ? Tile.covering(from, to, MeterWindowKey.storedAs(WindowSize.DAY, subject))
                    : List.of(new Tile(MeterWindowKey.storedAs(size, subject), from, to));
            final DefinedUsage usage = new DefinedUsage(aggregation, groupBy, filters, from, to, size);
            for (final Tile tile : tiles) {
                if (MeterWindowKey.readFromEvents(tile.size(), subject)) {
                    subjectMinutes.fold(meter.tenant(), subject, definition, coverage, tile.from(), tile.to(), usage);
                } else if (aggregation == Aggregation.UNIQUE_COUNT) {
                    queries.distinct(reads, read, subject, tile.size(), tile.from(), tile.to()).forEach(usage::add);
                } else {
                    queries.states(reads, read, definition.eventType(), subject, tile.size(), tile.from(),
                            tile.to()).forEach(usage::add);
                }
            }
            usage.points(subject).forEach(answer::item);
        }
        return answer;
    }

    /**
     * {@code backfilling}, and while it is, how far: shards done and the share of events folded. Returns which of
     * each shard's events the version's states hold, for the windows folded from events.
     */
    private Map<Integer, MeterCoverage> backfill(final ViewReads reads, final MeterVersion meter,
                                                final Answer<?> answer) {
        final int shards = definitions.shards();
        final Map<Integer, DefinedMeterQueries.ShardBackfill> rows = new LinkedHashMap<>();
        final Map<Integer, MeterCoverage> coverage = new HashMap<>();
        queries.backfill(reads, meter).forEach(row -> {
            rows.put(row.shard(), row);
            coverage.put(row.shard(), row.coverage());
        });
        long toFold = 0;
        long folded = 0;
        int done = 0;
        for (int shard = 0; shard < shards; shard++) {
            final DefinedMeterQueries.ShardBackfill row = rows.get(shard);
            if (row == null || row.boundary() == null) {
                continue;
            }
            toFold += row.boundary();
            final long through = row.through() == null ? 0 : Math.min(row.through(), row.boundary());
            folded += through;
            if (row.through() != null && through == row.boundary()) {
                done++;
            }
        }
        final boolean backfilling = shards == 0 || done < shards;
        answer.field("backfilling", backfilling);
        if (backfilling) {
            final Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("shards", shards);
            progress.put("shardsDone", done);
            progress.put("eventsFolded", folded);
            progress.put("eventsToFold", toFold);
            progress.put("progress", toFold == 0 ? BigDecimal.ZERO
                    : BigDecimal.valueOf(folded).divide(BigDecimal.valueOf(toFold), 4, RoundingMode.DOWN));
            answer.field("backfill", progress);
        }
        return coverage;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode groupsNode(final Map<String, String> groups) {
        final com.fasterxml.jackson.databind.node.ObjectNode node =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        groups.forEach(node::put);
        return node;
    }

    /** A part of a range read in windows of one size. */
    record Tile(WindowSize size, Instant from, Instant to) {
        /**
         * [from, to) (on minute boundaries) as minutes up to the first hour, hours up to the first day, days, then
         * hours and minutes to the end; no window larger than {@code largest}.
         */
        static List<Tile> covering(final Instant from, final Instant to, final WindowSize largest) {
            final List<Tile> tiles = new ArrayList<>();
            cover(tiles, from, to, largest.ordinal());
            return tiles;
        }

        private static void cover(final List<Tile> tiles, final Instant from, final Instant to, final int largest) {
            if (!from.isBefore(to)) {
                return;
            }
            final WindowSize size = WindowSize.values()[largest];
            if (largest == 0) {
                tiles.add(new Tile(size, from, to));
                return;
            }
            final Instant first = size.start(from).equals(from) ? from : size.start(from).plus(size.duration());
            final Instant last = size.start(to);
            if (!first.isBefore(last)) {
                cover(tiles, from, to, largest - 1);
                return;
            }
            cover(tiles, from, first, largest - 1);
            tiles.add(new Tile(size, first, last));
            cover(tiles, last, to, largest - 1);
        }
    }
}
