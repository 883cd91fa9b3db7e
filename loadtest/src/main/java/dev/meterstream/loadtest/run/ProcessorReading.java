package dev.meterstream.loadtest.run;

import java.util.List;

/**
 * What the stream processor counted over a run, read from its Prometheus metrics at the end (-1 where it could
 * not be read): the duplicates it dropped, and the sink's Cassandra requests, the rows they carried, and how many
 * of those requests were reads. Requests per event is the row model's cost in Cassandra, free of the machine's
 * noise.
 */
record ProcessorReading(long duplicatesDropped, long sinkRequests, long sinkRows, long sinkReads) {
    static final ProcessorReading UNKNOWN = new ProcessorReading(-1, -1, -1, -1);

    /** The sums over the instances that answer (a killed instance's counts are gone with it); UNKNOWN if none. */
    static ProcessorReading of(final List<String> processorUrls) {
        ProcessorReading total = UNKNOWN;
        for (final String url : processorUrls) {
            final ProcessorReading one = of(url);
            if (one.sinkRequests >= 0) {
                total = total.sinkRequests < 0 ? one : new ProcessorReading(
                        total.duplicatesDropped + one.duplicatesDropped, total.sinkRequests + one.sinkRequests,
                        total.sinkRows + one.sinkRows, total.sinkReads + one.sinkReads);
            }
        }
        return total;
    }

    private static ProcessorReading of(final String processorUrl) {
        // sink.rows.written counts a read as one row of its table with "(read)" after the name.
        return ServiceMetrics.page(processorUrl).map(metrics -> new ProcessorReading(
                count(metrics, "processor_duplicates_dropped_total", null),
                count(metrics, "sink_batch_rows_count", null), count(metrics, "sink_batch_rows_sum", null),
                count(metrics, "sink_rows_written_total", "(read)\""))).orElse(UNKNOWN);
    }

    private static long count(final String metrics, final String name, final String labelPart) {
        return Math.round(ServiceMetrics.sum(metrics, name, labelPart));
    }

    /** "r requests (w rows, k reads) per event" for this many events, or "unknown". */
    String perEvent(final long events) {
        if (sinkRequests < 0 || events <= 0) {
            return "unknown";
        }
        return String.format("%.2f requests (%.2f rows, %.2f reads) per event", sinkRequests / (double) events,
                sinkRows / (double) events, sinkReads / (double) events);
    }
}
