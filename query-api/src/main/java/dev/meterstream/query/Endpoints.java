package dev.meterstream.query;

/**
 * What every analysts' endpoint shares, so that a service names only its own: the views' freshness, the request
 * metrics, and the bounded reads each answer makes ({@link ViewReads}).
 */
final class Endpoints {
    private final Freshness freshness;
    private final QueryMetrics metrics;
    private final Endpoint.Reads reads;

    Endpoints(final Freshness freshness, final QueryMetrics metrics, final Endpoint.Reads reads) {
        this.freshness = freshness;
        this.metrics = metrics;
        this.reads = reads;
    }

    Endpoint of(final String name, final Endpoint.Query query) {
        return new Endpoint(name, query, freshness, metrics, reads);
    }

    Freshness freshness() {
        return freshness;
    }

    QueryMetrics metrics() {
        return metrics;
    }
}
