package dev.meterstream.query;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * What one tenant and one answer may take of query-api and the views (keys under {@code query.limits}), so that no
 * client can make a request or a stream of them cost without bound.
 *
 * @param deadline   how long one answer may take, all its reads together ({@link ViewReads})
 * @param maxReads   most Cassandra requests one answer may make, each page of a paged read counted
 * @param tenantRate requests per second each tenant may make, in a bucket of one second's worth; 0 means no limit
 */
public record QueryLimits(Duration deadline, int maxReads, double tenantRate) {
    public QueryLimits {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("query.limits.deadline must be positive, was " + deadline);
        }
        if (maxReads < 1) {
            throw new IllegalArgumentException("query.limits.max-reads must be at least 1, was " + maxReads);
        }
        if (tenantRate < 0 || Double.isNaN(tenantRate)) {
            throw new IllegalArgumentException("query.limits.tenant-rate must be 0 (no limit) or more, was "
                    + tenantRate);
        }
    }

    static QueryLimits from(final Config limits) {
        return new QueryLimits(limits.get("deadline").as(Duration.class).get(), limits.get("max-reads").asInt().get(),
                limits.get("tenant-rate").asDouble().get());
    }
}
