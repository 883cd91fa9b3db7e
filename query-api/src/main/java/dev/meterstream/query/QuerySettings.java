package dev.meterstream.query;

import dev.meterstream.event.EventRules;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.cassandra.CqlConnection;
import dev.meterstream.support.config.ServiceConfig;
import dev.meterstream.support.kafka.KafkaConnection;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * Everything query-api reads from configuration, typed and checked in one place (keys under {@code query.},
 * {@code cassandra.} and {@code auth.}).
 *
 * @param cassandra      where the views are
 * @param apiKeys        analyst keys (SHA-256 digests) and the tenant each one reads
 * @param maxPoints      most windows one usage or top answer may span
 * @param maxEventsPage  most events one page of a subject's events may hold
 * @param maxEventsRange longest time range a subject's events may be asked for
 * @param freshnessCache how long the views' freshness is reused between reads of view_progress
 * @param topPageSize    rows read at a time from each window's ranking when merging windows for the top subjects
 * @param topCache       how long a top-subjects answer is reused for identical requests (zero: never)
 * @param topCacheSize   most top-subjects answers held at once
 * @param kafka          where the meter definitions and keys topics are, and how to reach them
 * @param adminKeys      admin keys (SHA-256 digests) and their tenants ({@code auth.admin-keys},
 *                       {@code auth.admin-keys-file}): they may also define, change and delete meters
 * @param eventRules     the rules a meter definition's slugs follow (those of event meters)
 * @param maxFoldedEvents most events one answer may read to fold a subject's minutes of a defined meter
 * @param limits         what one answer and one tenant may take ({@code query.limits})
 * @param cursors        signs and checks the cursors of a subject's events ({@code query.cursor-secret-file})
 */
public record QuerySettings(
        CqlConnection cassandra,
        ApiKeys apiKeys,
        int maxPoints,
        int maxEventsPage,
        Duration maxEventsRange,
        Duration freshnessCache,
        int topPageSize,
        Duration topCache,
        int topCacheSize,
        KafkaConnection kafka,
        ApiKeys adminKeys,
        EventRules eventRules,
        int maxFoldedEvents,
        QueryLimits limits,
        CursorSigner cursors) {

    public QuerySettings {
        atLeastOne("query.max-points", maxPoints);
        atLeastOne("query.max-events-page", maxEventsPage);
        atLeastOne("query.top-page-size", topPageSize);
        atLeastOne("query.top-cache-size", topCacheSize);
        atLeastOne("query.max-folded-events", maxFoldedEvents);
        if (topCache.isNegative()) {
            throw new IllegalArgumentException("query.top-cache must not be negative, was " + topCache);
        }
    }

    /** An error that names the key and the bad value, so the operator knows what to change. */
    private static void atLeastOne(final String key, final int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }

    /** The file of query-api's own defaults (see {@link dev.meterstream.support.config.ServiceConfig}). */
    public static final String DEFAULTS = "query-api.yaml";

    /** query-api's settings from its configuration; every key is required. */
    public static QuerySettings from(final Config config) {
        final Config query = config.get("query");
        return new QuerySettings(
                CqlConnection.from(config.get("cassandra")),
                ApiKeys.from(config.get("auth")),
                query.get("max-points").asInt().get(),
                query.get("max-events-page").asInt().get(),
                query.get("max-events-range").as(Duration.class).get(),
                query.get("freshness-cache").as(Duration.class).get(),
                query.get("top-page-size").asInt().get(),
                query.get("top-cache").as(Duration.class).get(),
                query.get("top-cache-size").asInt().get(),
                KafkaConnection.from(config),
                ApiKeys.from(config.get("auth.admin")),
                ServiceConfig.eventRules(config),
                query.get("max-folded-events").asInt().get(),
                QueryLimits.from(query.get("limits")),
                CursorSigner.from(query.get("cursor-secret-file").asString().asOptional().map(java.nio.file.Path::of)));
    }
}
