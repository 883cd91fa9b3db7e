package dev.meterstream.loadtest.run;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meterstream.event.WindowSize;
import dev.meterstream.loadtest.open.LoadEvents;
import dev.meterstream.meter.MeterState;
import dev.meterstream.meter.MeterTypeStates;
import dev.meterstream.meter.MeterWindowKey;
import dev.meterstream.schema.SeriesBucket;
import dev.meterstream.schema.Views;
import dev.meterstream.schema.Views.Column;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The exactness check of the meters a run with {@code --define-meters} defined ({@link LoadEvents#definitions}):
 * for each tenant and event type, over the stored events of the run, the SUM per (model, region) and its count,
 * the distinct users, and the LATEST tokens must be exactly what the views hold for all subjects (their DAY
 * windows merged across shards, sources and groups: the meters' own rows and their entries in the type's live
 * states).
 */
final class DefinedMetersCheck {
    /** What the stored events of one tenant and event type add up to. */
    static final class Expected {
        private final Map<String, Long> tokensByGroup = new TreeMap<>();
        private final Set<String> users = new HashSet<>();
        private long count;
        private Instant latestTime;
        private long latestLogId;
        private long latestTokens;

        synchronized void add(final long sequence, final Instant time, final long logId) {
            final Map<String, String> properties = LoadEvents.propertiesOf(sequence);
            final long tokens = Long.parseLong(properties.get("tokens"));
            tokensByGroup.merge(properties.get("model") + "|" + properties.get("region"), tokens, Long::sum);
            users.add(properties.get("user"));
            count++;
            if (latestTime == null || time.isAfter(latestTime) || (time.equals(latestTime) && logId < latestLogId)) {
                latestTime = time;
                latestLogId = logId;
                latestTokens = tokens;
            }
        }
    }

    private static final String DAYS = " AND " + Column.WINDOW_SIZE + " = '" + WindowSize.DAY.name() + "'";

    private final CqlSession session;
    private final Set<String> kinds;
    /** A meter's day states of one partition; read by position below. */
    private final PreparedStatement states;
    /** A type's live day states of one partition (V008). */
    private final PreparedStatement typeStates;
    private final PreparedStatement distinct;
    private final PreparedStatement backfill;

    /** @param kinds the meters defined per event type ({@link LoadEvents#KINDS}), the ones checked */
    DefinedMetersCheck(final CqlSession session, final String keyspace, final Set<String> kinds) {
        this.session = session;
        this.kinds = Set.copyOf(kinds);
        states = session.prepare(Views.METER_STATES.select(keyspace, List.of(Column.GROUPS, Column.COUNT,
                Column.NUMBER, Column.LATEST_TIME, Column.LATEST_NANOS, Column.LATEST_LOG_ID)) + " WHERE "
                + Views.equal(Views.METER_STATES.partitionKey()) + DAYS);
        typeStates = session.prepare(Views.METER_TYPE_STATES.select(keyspace, List.of(Column.STATES)) + " WHERE "
                + Views.equal(Views.METER_TYPE_STATES.partitionKey()));
        distinct = session.prepare(Views.METER_DISTINCT_VALUES.select(keyspace, List.of(Column.VALUE)) + " WHERE "
                + Views.equal(Views.METER_DISTINCT_VALUES.partitionKey()) + DAYS);
        backfill = session.prepare(Views.METER_BACKFILL.select(keyspace, List.of(Column.BOUNDARY, Column.THROUGH))
                + " WHERE " + Views.equal(Views.METER_BACKFILL.partitionKey()));
    }

    /**
     * Whether every defined meter's version 1 has a boundary on each of {@code shards} shards and its backfill
     * reached it (before the load, with no events yet, that is at once: a boundary of 0).
     */
    boolean backfilled(final List<String> tenants, final int eventTypes, final int shards) {
        for (final String tenant : tenants) {
            for (int m = 0; m < eventTypes; m++) {
                for (final String slug : LoadEvents.definitions("meter-" + m, kinds).keySet()) {
                    int done = 0;
                    for (final Row row : session.execute(backfill.bind(tenant, slug, 1))) {
                        done += !row.isNull(0) && !row.isNull(1) && row.getLong(0) == row.getLong(1) ? 1 : 0;
                    }
                    if (done < shards) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Every difference found, per tenant and event type ({@code expected}: tenant|type to what the events hold). */
    List<String> check(final Map<String, Expected> expected, final Instant from, final Instant to) {
        final List<String> failures = new ArrayList<>();
        final List<LocalDate> months = SeriesBucket.months(from, to.plusNanos(1));
        final List<Instant> years = SeriesBucket.covering(WindowSize.DAY, WindowSize.DAY.start(from),
                to.plusNanos(1));
        expected.forEach((tenantType, events) -> {
            final String tenant = tenantType.substring(0, tenantType.indexOf('|'));
            final String type = tenantType.substring(tenantType.indexOf('|') + 1);
            final Map<String, Long> tokens = new TreeMap<>();
            long count = 0;
            final Set<String> users = new HashSet<>();
            BigDecimal latestTokens = null;
            Instant latestTime = null;
            long latestLogId = 0;
            final Map<String, List<Map.Entry<Map<String, String>, MeterState>>> bySlug = new HashMap<>();
            for (final LocalDate month : months) {
                for (final String kind : List.of(LoadEvents.TOKENS, LoadEvents.LATEST)) {
                    for (final Row row : rows(states, kind, tenant, type, month)) {
                        final Instant latest = row.getInstant(3);
                        bySlug.computeIfAbsent(type + "-" + kind, slug -> new ArrayList<>()).add(Map.entry(
                                MeterWindowKey.groupsOf(row.getString(0)), new MeterState(row.getLong(1),
                                        row.getBigDecimal(2), latest == null ? null : latest.plusNanos(row.getInt(4)),
                                        row.isNull(5) ? 0 : row.getLong(5), new TreeSet<>())));
                    }
                }
                for (final Row row : rows(distinct, LoadEvents.USERS, tenant, type, month)) {
                    users.add(row.getString(0));
                }
            }
            for (final Instant bucket : years) {
                for (final Row row : session.execute(typeStates.bind(tenant, type, Views.ALL_SUBJECTS,
                        WindowSize.DAY.name(), bucket))) {
                    MeterTypeStates.read(row.getByteBuffer(0)).states().forEach((entry, state) -> {
                        if (entry.version() == 1) {
                            bySlug.computeIfAbsent(entry.slug(), slug -> new ArrayList<>())
                                    .add(Map.entry(entry.groups(), state));
                        }
                    });
                }
            }
            for (final Map.Entry<Map<String, String>, MeterState> row
                    : bySlug.getOrDefault(type + "-" + LoadEvents.TOKENS, List.of())) {
                tokens.merge(row.getKey().get("model") + "|" + row.getKey().get("region"),
                        row.getValue().number().longValueExact(), Long::sum);
                count += row.getValue().count();
            }
            for (final Map.Entry<Map<String, String>, MeterState> row
                    : bySlug.getOrDefault(type + "-" + LoadEvents.LATEST, List.of())) {
                final MeterState state = row.getValue();
                if (latestTime == null || state.latestTime().isAfter(latestTime)
                        || (state.latestTime().equals(latestTime) && state.latestLogId() < latestLogId)) {
                    latestTime = state.latestTime();
                    latestLogId = state.latestLogId();
                    latestTokens = state.number();
                }
            }
            if (kinds.contains(LoadEvents.TOKENS) && (!tokens.equals(events.tokensByGroup) || count != events.count)) {
                failures.add(String.format("%s %s-%s: %d events, sums by group %s; the events hold %d, %s", tenant,
                        type, LoadEvents.TOKENS, count, tokens, events.count, events.tokensByGroup));
            }
            if (kinds.contains(LoadEvents.USERS) && !users.equals(events.users)) {
                final Set<String> extra = new HashSet<>(users);
                extra.removeAll(events.users);
                final Set<String> absent = new HashSet<>(events.users);
                absent.removeAll(users);
                failures.add(String.format("%s %s-%s: %d distinct users, %d of them in no event, %d users of the "
                        + "events absent", tenant, type, LoadEvents.USERS, users.size(), extra.size(), absent.size()));
            }
            if (kinds.contains(LoadEvents.LATEST) && (latestTokens == null
                    || latestTokens.longValueExact() != events.latestTokens || !latestTime.equals(events.latestTime))) {
                failures.add(String.format("%s %s-%s: %s at %s; the latest event holds %d at %s", tenant, type,
                        LoadEvents.LATEST, latestTokens, latestTime, events.latestTokens, events.latestTime));
            }
        });
        return failures;
    }

    /** The all-subject day rows of the meter of {@code kind} for {@code type}, or none if that kind is not defined. */
    private Iterable<Row> rows(final PreparedStatement statement, final String kind, final String tenant,
                               final String type, final LocalDate month) {
        return kinds.contains(kind) ? session.execute(statement.bind(tenant, type + "-" + kind, 1, Views.ALL_SUBJECTS,
                month)) : List.of();
    }
}
